import { useMswServer } from '@birdstream/test-utils';
import { HttpResponse, http } from 'msw';
import { expect, test } from 'vitest';
import { RulesClient } from '../../src/index.js';
import { BASE, COUNTS_URL, TOKEN } from '../support/server.js';

const server = useMswServer();
const client = () => new RulesClient({ bearerToken: TOKEN, baseUrl: BASE });

test('asks for every rules_count field and parses counts, as numbers or strings', async () => {
  const urls: URL[] = [];
  server.use(
    http.get(COUNTS_URL, ({ request }) => {
      urls.push(new URL(request.url));
      return HttpResponse.json({
        data: {
          all_project_client_apps: [{ client_app_id: 29890911, rule_count: 3 }],
          cap_per_client_app: '1000',
          cap_per_project: 1000,
          client_app_rules_count: { client_app_id: '29890911', rule_count: '3' },
          project_rules_count: 3,
        },
      });
    }),
  );
  const counts = await client().counts();
  expect(urls[0]?.searchParams.get('rules_count.fields')).toBe(
    'all_project_client_apps,cap_per_client_app,cap_per_project,client_app_rules_count,project_rules_count',
  );
  expect(counts).toEqual({
    all_project_client_apps: [{ client_app_id: '29890911', rule_count: 3 }],
    cap_per_client_app: 1000,
    cap_per_project: 1000,
    client_app_rules_count: { client_app_id: '29890911', rule_count: 3 },
    project_rules_count: 3,
  });
});

test('fields can be narrowed', async () => {
  const urls: URL[] = [];
  server.use(
    http.get(COUNTS_URL, ({ request }) => {
      urls.push(new URL(request.url));
      return HttpResponse.json({ data: { project_rules_count: 7 } });
    }),
  );
  expect(await client().counts({ fields: ['project_rules_count'] })).toEqual({
    project_rules_count: 7,
  });
  expect(urls[0]?.searchParams.get('rules_count.fields')).toBe('project_rules_count');
});

test('errors without data are a RulesResponseError quoting the problem', async () => {
  server.use(
    http.get(COUNTS_URL, () =>
      HttpResponse.json({
        errors: [
          { title: 'Forbidden', detail: 'Not available for this plan.', type: 'about:blank' },
        ],
      }),
    ),
  );
  await expect(client().counts()).rejects.toMatchObject({
    name: 'RulesResponseError',
    message: expect.stringContaining('no counts, only errors: Not available for this plan.'),
  });
});
