import { ConnectionsClient, isResponseError, UsageClient } from '@birdstream/core';
import { useMswServer } from '@birdstream/test-utils';
import { HttpResponse, http } from 'msw';
import { describe, expect, test } from 'vitest';
import { reachableStrings } from '../helpers/secrets.js';

const server = useMswServer();
const BASE = 'https://api.x.com';
const TOKEN = 'AAAAtoken-for-unexpected-rows';

const row = (n: number, more: Record<string, unknown> = {}) => ({
  id: `c0ffee00-0000-4000-8000-00000000000${n}`,
  endpoint_name: 'filtered_stream',
  connected_at: '2026-12-01T10:00:00.000Z',
  ...more,
});

describe('a REST list with an unexpected row lists the rest and reports the row', () => {
  test('connections: the Activity row (no endpoint_name) is listed; an unreadable row is reported', async () => {
    const activity = {
      id: 'c0ffee00-0000-4000-8000-00000000000a',
      connected_at: '2026-12-01T10:00:00.000Z',
    };
    const broken = row(2, { connected_at: 5, note: `Bearer ${TOKEN}` });
    server.use(
      http.get(`${BASE}/2/connections`, () =>
        HttpResponse.json({ data: [row(1), activity, broken, row(3)], meta: { result_count: 4 } }),
      ),
    );
    const page = await new ConnectionsClient({
      bearerToken: TOKEN,
      baseUrl: BASE,
      retry: 0,
    }).list();
    expect(page.connections).toEqual([row(1), activity, row(3)]);
    expect(page.drift).toEqual([
      {
        path: ['data', 2],
        kind: 'set-aside',
        detail: 'Expected a string, got a number. (at connected_at) Set aside: see driftOf().',
        value: { ...broken, note: 'Bearer [redacted]' },
      },
    ]);
    for (const s of reachableStrings(page)) expect(s).not.toContain(TOKEN);
  });

  test('a body whose data is not a list at all is still an error, naming the operation', async () => {
    server.use(http.get(`${BASE}/2/connections`, () => HttpResponse.json({ data: 'nope' })));
    const error = await new ConnectionsClient({ bearerToken: TOKEN, baseUrl: BASE, retry: 0 })
      .list()
      .catch((e: unknown) => e);
    expect(isResponseError(error)).toBe(true);
    expect((error as Error).message).toContain('list the stream connections');
  });

  test('usage: a day of unexpected shape is set aside, counts sent as strings are numbers', async () => {
    server.use(
      http.get(`${BASE}/2/usage/tweets`, () =>
        HttpResponse.json({
          data: {
            project_usage: '1200',
            project_cap: 3_000_000,
            daily_project_usage: {
              project_id: '1',
              usage: [
                { date: '2026-12-01T00:00:00.000Z', usage: 700 },
                { date: '2026-12-02T00:00:00.000Z', usage: 'lots' },
                { date: '2026-12-03T00:00:00.000Z', usage: '500' },
              ],
            },
          },
        }),
      ),
    );
    const report = await new UsageClient({ bearerToken: TOKEN, baseUrl: BASE, retry: 0 }).get();
    expect(report.usage.project_usage).toBe(1200);
    expect(report.percentOfCap).toBeCloseTo(0.04);
    expect(report.usage.daily_project_usage?.usage).toEqual([
      { date: '2026-12-01T00:00:00.000Z', usage: 700 },
      { date: '2026-12-03T00:00:00.000Z', usage: 500 },
    ]);
    expect(report.drift.map((d) => [d.path.join('.'), d.kind])).toEqual([
      ['data.project_usage', 'coerced'],
      ['data.daily_project_usage.usage.1', 'set-aside'],
      ['data.daily_project_usage.usage.2.usage', 'coerced'],
    ]);
  });
});
