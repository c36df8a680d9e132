import { readFixtureJson, readFixtureText } from '@birdstream/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { type Emulator, type EmulatorOptions, startEmulator } from '../src/index.js';
import { api, RULES, rawRequest, SAMPLE, STREAM } from './helpers/raw-stream.js';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function start(options: EmulatorOptions = {}): Promise<Emulator> {
  emu = await startEmulator({ seed: 3, rate: 20, timeScale: 100, ...options });
  return emu;
}

describe('connecting to the filtered stream', () => {
  it('answers 409 RuleConfigurationIssue with X exact body when there are no rules', async () => {
    const e = await start();
    const res = await rawRequest(e.url, STREAM);
    await res.closed();
    expect(res.status).toBe(409);
    expect(res.text()).toBe(
      readFixtureText('errors/stream_connect_409_rule_configuration_issue_no_rules.json'),
    );
    expect(res.headers['x-rate-limit-limit']).toBe('50');
    expect(e.stats().rejected).toEqual([
      expect.objectContaining({ status: 409, reason: 'no-rules', injected: false }),
    ]);
  });

  it('is a 409 after a dry-run add too (nothing was stored)', async () => {
    const e = await start();
    await api(e.url, `${RULES}?dry_run=true`, {
      method: 'POST',
      body: { add: [{ value: 'cat' }] },
    });
    const res = await rawRequest(e.url, STREAM);
    expect(res.status).toBe(409);
    res.close();
  });

  it('opens a chunked JSON stream with rate-limit headers once a rule exists', async () => {
    const e = await start({ rules: [{ value: 'coffee OR cat', tag: 'pets and drinks' }] });
    const res = await rawRequest(e.url, STREAM);
    expect(res.status).toBe(200);
    expect(res.headers).toMatchObject({
      'content-type': 'application/json; charset=utf-8',
      'transfer-encoding': 'chunked',
      'x-rate-limit-limit': '50',
      'x-rate-limit-remaining': '49',
    });
    expect(Number(res.headers['x-rate-limit-reset'])).toBeGreaterThan(Date.now() / 1000);
    await res.until(() => res.messages().length >= 3);
    for (const m of res.messages())
      expect(m.matching_rules).toEqual([{ id: e.rules()[0]?.id, tag: 'pets and drinks' }]);
    res.close();
  });

  it('answers a second concurrent connection with 429 TooManyConnections (X exact body) and records the overlap', async () => {
    const e = await start({ rules: [{ value: 'cat' }] });
    const first = await rawRequest(e.url, STREAM);
    expect(first.status).toBe(200);
    const second = await rawRequest(e.url, STREAM);
    await second.closed();
    expect(second.status).toBe(429);
    expect(second.text()).toBe(
      readFixtureText('errors/stream_connect_429_too_many_connections_2022.json'),
    );
    // X sends it while the rate-limit window still has room: clients must read the body.
    expect(Number(second.headers['x-rate-limit-remaining'])).toBeGreaterThan(0);
    const stats = e.stats();
    expect(stats.maxConcurrentConnections).toBe(2);
    expect(stats.rejected).toEqual([
      expect.objectContaining({ status: 429, reason: 'too-many-connections', injected: false }),
    ]);
    expect(first.ended).toBe('open');
    first.close();
  });

  it('lets a client reconnect at once after closing its connection (no false 429)', async () => {
    const e = await start({ rules: [{ value: 'cat' }] });
    for (let i = 0; i < 3; i++) {
      const res = await rawRequest(e.url, STREAM);
      expect(res.status).toBe(200);
      res.close();
    }
    const stats = e.stats();
    expect(stats.connectionsOpened).toBe(3);
    expect(stats.maxConcurrentConnections).toBe(1);
    expect(stats.rejected).toEqual([]);
  });

  it('allows redundant connections with maxConnections (Enterprise), and they get the same posts', async () => {
    const e = await start({ maxConnections: 2, rules: [{ value: 'coffee OR cat OR rain' }] });
    const a = await rawRequest(e.url, STREAM, { headers: { 'user-agent': 'client-a/1' } });
    const b = await rawRequest(e.url, STREAM, { headers: { 'user-agent': 'client-b/1' } });
    const c = await rawRequest(e.url, STREAM);
    expect([a.status, b.status, c.status]).toEqual([200, 200, 429]);
    await a.until(() => a.postIds().length >= 10);
    await b.until(() => b.postIds().length >= 10);
    // Both connections carry the same timeline from the moment the second one opened.
    const fromB = b.postIds()[0] as string;
    expect(a.postIds()).toContain(fromB);
    const startA = a.postIds().indexOf(fromB);
    const common = Math.min(a.postIds().length - startA, b.postIds().length);
    expect(a.postIds().slice(startA, startA + common)).toEqual(b.postIds().slice(0, common));
    a.close();
    b.close();
    const stats = e.stats();
    expect(stats.connections.map((x) => x.userAgent)).toEqual(['client-a/1', 'client-b/1']);
    expect(stats.maxConcurrentConnections).toBe(3);
    expect(stats.rejected).toEqual([
      expect.objectContaining({ reason: 'too-many-connections', injected: false }),
    ]);
  });

  it('allows one filtered and one sample connection at the same time', async () => {
    const e = await start({ rules: [{ value: 'cat' }] });
    const filtered = await rawRequest(e.url, STREAM);
    const sample = await rawRequest(e.url, SAMPLE);
    expect([filtered.status, sample.status]).toEqual([200, 200]);
    expect(e.stats().maxConcurrentConnections).toBe(1);
    filtered.close();
    sample.close();
  });

  it('answers 401 without a valid token (no rate-limit headers)', async () => {
    const e = await start({ bearerToken: 'secret-token', rules: [{ value: 'cat' }] });
    const res = await rawRequest(e.url, STREAM, { headers: { authorization: 'Bearer nope' } });
    await res.closed();
    expect(res.status).toBe(401);
    expect(JSON.parse(res.text())).toEqual(
      readFixtureJson('errors/rules_get_401_unauthorized.json'),
    );
    expect(res.headers['x-rate-limit-limit']).toBeUndefined();
    expect(JSON.stringify(e.stats())).not.toContain('secret-token');
  });

  it('rejects unknown parameters, field values and backfill_minutes out of range with 400 invalid-request', async () => {
    const e = await start({ rules: [{ value: 'cat' }] });
    const cases: [string, string, RegExp][] = [
      [
        'tweet.fields=created_at,nope',
        'tweet.fields',
        /^The `tweet.fields` query parameter value \[nope\] is not one of \[/,
      ],
      ['expansions=author', 'expansions', /^The `expansions` query parameter value \[author\]/],
      ['backfill_minutes=6', 'backfill_minutes', /is not between 0 and 5$/],
      ['foo=bar', 'foo', /^The query parameter \[foo\] is not one of \[/],
    ];
    for (const [query, param, message] of cases) {
      const res = await rawRequest(e.url, `${STREAM}?${query}`);
      await res.closed();
      expect(res.status).toBe(400);
      const body = JSON.parse(res.text());
      expect(body).toMatchObject({
        title: 'Invalid Request',
        type: 'https://api.twitter.com/2/problems/invalid-request',
      });
      expect(Object.keys(body.errors[0].parameters)).toEqual([param]);
      expect(body.errors[0].message).toMatch(message);
    }
    expect(e.stats().connectionsOpened).toBe(0);
  });

  it('counts connection attempts against the 50 per 15 minutes window', async () => {
    const e = await start({ rules: [{ value: 'cat' }], rateLimits: { filter: 2 } });
    for (let i = 0; i < 2; i++) (await rawRequest(e.url, STREAM)).close();
    const third = await rawRequest(e.url, STREAM);
    await third.closed();
    expect(third.status).toBe(429);
    expect(third.headers['x-rate-limit-remaining']).toBe('0');
    expect(JSON.parse(third.text())).toEqual(
      readFixtureJson('errors/rest_429_too_many_requests_json_2021.json'),
    );
  });
});

describe('the sample stream', () => {
  it('needs no rules and sends posts without matching_rules', async () => {
    const e = await start();
    const res = await rawRequest(e.url, SAMPLE);
    expect(res.status).toBe(200);
    await res.until(() => res.messages().length >= 5);
    for (const m of res.messages()) {
      expect(m.data.id).toMatch(/^\d{19}$/);
      expect(m).not.toHaveProperty('matching_rules');
    }
    res.close();
  });

  it('refuses start_time (no recovery on the sample stream)', async () => {
    const e = await start();
    const res = await rawRequest(e.url, `${SAMPLE}?start_time=2026-01-01T00:00:00Z`);
    expect(res.status).toBe(400);
    res.close();
  });
});
