import { driftOf } from '@birdstream/core';
import { useMswServer } from '@birdstream/test-utils';
import { HttpResponse, http } from 'msw';
import { describe, expect, test } from 'vitest';
import { RulesClient, SubscriptionsClient } from '../../src/index.js';
import { BASE, RULES_URL, TOKEN } from '../support/server.js';

const server = useMswServer();

describe('a list with one unexpected row lists the rest and reports the row', () => {
  test('rules: pages carry the row in drift; list() in driftOf(list)', async () => {
    const odd = { id: 'not-an-id', value: 'cats' };
    server.use(
      http.get(RULES_URL, () =>
        HttpResponse.json({
          data: [{ id: '1', value: 'dogs' }, odd, { id: '3', value: 'birds', tag: 't' }],
          meta: { sent: 'x', result_count: '3' },
        }),
      ),
    );
    const client = new RulesClient({ bearerToken: TOKEN, baseUrl: BASE });
    for await (const page of client.pages()) {
      expect(page.rules.map((r) => r.id)).toEqual(['1', '3']);
      expect(page.resultCount).toBe(3);
      // result_count as a string is a shape the schema declares (OAS 2.167): not drift.
      expect(page.drift.map((d) => [d.path, d.kind])).toEqual([[['data', 1], 'set-aside']]);
      expect(page.drift[0]?.value).toEqual(odd);
      expect(page.drift[0]?.detail).toContain('rule id');
    }
    const rules = await client.list();
    expect(rules.map((r) => r.value)).toEqual(['dogs', 'birds']);
    expect(driftOf(rules)?.find((d) => d.kind === 'set-aside')?.value).toEqual(odd);
  });

  test('Activity subscriptions: the readable ones, the other in driftOf(list)', async () => {
    const good = (id: string) => ({
      subscription_id: id,
      event_type: 'profile.update.bio',
      filter: { user_id: '2244994945' },
      created_at: '2025-01-01T00:00:00.000Z',
      updated_at: '2025-01-01T00:00:00.000Z',
    });
    const odd = { ...good('2'), filter: 'everyone' };
    server.use(
      http.get(`${BASE}/2/activity/subscriptions`, () =>
        HttpResponse.json({ data: [good('1'), odd, good('3')], meta: { result_count: 3 } }),
      ),
    );
    const list = await new SubscriptionsClient({ bearerToken: TOKEN, baseUrl: BASE }).list();
    expect(list.map((s) => s.subscription_id)).toEqual(['1', '3']);
    expect(driftOf(list)).toEqual([
      expect.objectContaining({ path: ['data', 1], kind: 'set-aside', value: odd }),
    ]);
  });
});
