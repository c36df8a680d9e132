import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { EMULATOR_CONSUMER_SECRET, type Emulator, startEmulator } from '../src/index.js';

let emu: Emulator | undefined;
let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  server?.close();
  server = undefined;
  await emu?.close();
  emu = undefined;
});

/** A webhook that answers CRCs with `secret` (switchable) and 200 to deliveries, recording them. */
async function webhook(state: { secret: string; posts: { signature: string; body: string }[] }) {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method === 'GET') {
      const token = url.searchParams.get('crc_token') ?? '';
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          response_token: `sha256=${createHmac('sha256', state.secret).update(token).digest('base64')}`,
        }),
      );
      return;
    }
    let body = '';
    req.on('data', (c) => (body += String(c)));
    req.on('end', () => {
      state.posts.push({ signature: String(req.headers['x-twitter-webhooks-signature']), body });
      res.writeHead(200).end('{}');
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
}

/** The value at a dotted path of a JSON value (`data.links.0.webhook_id`). */
function at(value: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((v, key) => (v as Record<string, unknown> | undefined)?.[key], value);
}

async function api(method: string, path: string, body?: unknown) {
  const response = await fetch(`${emu?.url}${path}`, {
    method,
    headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json()) as unknown };
}

describe('the emulator’s filtered-stream webhooks', () => {
  it('registers after a CRC, refuses a wrong answer, delivers signed posts of the matching rules with the link’s fields', async () => {
    emu = await startEmulator({
      seed: 1,
      rate: 50,
      timeScale: 20,
      rules: [{ value: 'coffee OR cat OR rain', tag: 't' }],
    });
    const state = {
      secret: 'wrong-secret-0000000000',
      posts: [] as { signature: string; body: string }[],
    };
    const url = await webhook(state);
    const refused = await api('POST', '/2/webhooks', { url });
    expect([refused.status, at(refused.json, 'detail')]).toEqual([400, 'CRC check failed']);
    expect((await api('GET', '/2/webhooks')).json).toEqual({ meta: { result_count: 0 } });
    state.secret = EMULATOR_CONSUMER_SECRET;
    const created = await api('POST', '/2/webhooks', { url });
    expect(at(created.json, 'data')).toMatchObject({ url, valid: true });
    const id = at(created.json, 'data.id') as string;
    const badLink = await api('POST', `/2/tweets/search/webhooks/${id}?tweet.fields=nope`);
    expect(badLink.status).toBe(400);
    expect(
      (await api('POST', `/2/tweets/search/webhooks/${id}?tweet.fields=created_at`)).json,
    ).toEqual({
      data: { provisioned: true },
    });
    await expect
      .poll(() => state.posts.length, { timeout: 30_000, interval: 20 })
      .toBeGreaterThanOrEqual(5);
    for (const { signature, body } of state.posts.slice(0, 5)) {
      expect(signature).toBe(
        `sha256=${createHmac('sha256', EMULATOR_CONSUMER_SECRET).update(body).digest('base64')}`,
      );
      const message = JSON.parse(body) as {
        data: { created_at?: string };
        matching_rules: { tag: string }[];
      };
      expect(typeof message.data.created_at).toBe('string');
      expect(message.matching_rules.map((r) => r.tag)).toEqual(['t']);
    }
    expect(at((await api('GET', '/2/tweets/search/webhooks')).json, 'data.links.0')).toMatchObject({
      webhook_id: id,
      fields: ['tweet.fields=created_at'],
    });
  });

  it('a CRC answered wrongly invalidates the webhook at once; PUT with the right answer makes it valid again', async () => {
    emu = await startEmulator({ seed: 2, timeScale: 1 });
    const state = { secret: EMULATOR_CONSUMER_SECRET, posts: [] };
    const url = await webhook(state);
    const id = at((await api('POST', '/2/webhooks', { url })).json, 'data.id') as string;
    state.secret = 'rotated-without-telling-the-receiver';
    expect((await api('PUT', `/2/webhooks/${id}`)).json).toEqual({ data: { attempted: true } });
    expect(at((await api('GET', '/2/webhooks')).json, 'data.0.valid')).toBe(false);
    state.secret = EMULATOR_CONSUMER_SECRET;
    await api('PUT', `/2/webhooks/${id}`);
    expect(at((await api('GET', '/2/webhooks')).json, 'data.0.valid')).toBe(true);
    expect((await api('DELETE', `/2/webhooks/${id}`)).json).toEqual({ data: { deleted: true } });
    expect((await api('PUT', `/2/webhooks/${id}`)).status).toBe(404);
  });

  it('replay jobs: dates as yyyymmddhhmm within the last 24 h, a known webhook', async () => {
    emu = await startEmulator({ seed: 3, timeScale: 1 });
    const url = await webhook({ secret: EMULATOR_CONSUMER_SECRET, posts: [] });
    const id = at((await api('POST', '/2/webhooks', { url })).json, 'data.id') as string;
    const date = (ms: number) => new Date(ms).toISOString().replace(/[-T:]/g, '').slice(0, 12);
    const now = emu.clock.now();
    expect(
      (
        await api('POST', '/2/webhooks/replay', {
          webhook_id: id,
          from_date: '2026',
          to_date: date(now),
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await api('POST', '/2/webhooks/replay', {
          webhook_id: id,
          from_date: date(now - 25 * 3_600_000),
          to_date: date(now),
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await api('POST', '/2/webhooks/replay', {
          webhook_id: '1',
          from_date: date(now - 60_000),
          to_date: date(now),
        })
      ).status,
    ).toBe(404);
    const job = await api('POST', '/2/webhooks/replay', {
      webhook_id: id,
      from_date: date(now - 3_600_000),
      to_date: date(now),
    });
    expect(at(job.json, 'data.job_id')).toMatch(/^\d+$/);
    // Nothing was delivered yet: the job has nothing to re-send and is done at once.
    expect(emu.webhooks.stats().replays).toEqual([
      { jobId: at(job.json, 'data.job_id'), webhookId: id, posts: 0, done: true },
    ]);
  });
});
