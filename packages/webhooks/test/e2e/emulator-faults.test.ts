import {
  EMULATOR_CONSUMER_SECRET,
  EMULATOR_TOPICS,
  type Emulator,
  startEmulator,
} from '@birdstream/testing';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { type WebhookEvent, WebhookReceiver, WebhooksClient } from '../../src/index.js';
import { FRAMEWORKS, type ServedWebhook, serveWebhook } from '../support/servers.js';

const BROAD_RULE = Object.values(EMULATOR_TOPICS)
  .map((t) => t.keywords[0])
  .join(' OR ');
const FIELDS = { 'tweet.fields': ['created_at', 'lang'], expansions: ['author_id'] } as const;
/** Posts each webhook must have been sent before the links are removed. */
const POSTS = 40;

let emu: Emulator | undefined;
const servers: ServedWebhook[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
  await emu?.close();
  emu = undefined;
});

describe.each(FRAMEWORKS)(
  '%s behind the emulator: every post handed over exactly once',
  (framework) => {
    test('through bad signatures, truncated and cut bodies, redeliveries, a failing consumer, two redundant links and a replay', async () => {
      emu = await startEmulator({
        seed: `webhooks-${framework}`,
        rate: 20,
        timeScale: 20,
        rules: [{ value: BROAD_RULE, tag: 'all' }],
        webhooks: {
          retryDelayMs: 1_000,
          faults: [
            { type: 'bad-signature', count: 3 },
            { type: 'truncated-body', count: 3 },
            { type: 'cut-body', count: 2 },
            { type: 'redeliver', count: 3 },
          ],
        },
      });
      const handedOver: string[] = [];
      const typed: (string | undefined)[] = [];
      const events: WebhookEvent[] = [];
      let calls = 0;
      const receiver = new WebhookReceiver({
        consumerSecret: EMULATOR_CONSUMER_SECRET,
        fields: FIELDS,
        onDelivery: ({ id, response }) => {
          // The consumer fails once (after the scripted faults are spent): that delivery is
          // answered 500 and X retries it.
          calls++;
          if (calls === 20) throw new Error('the database blinked');
          handedOver.push(id);
          typed.push(response.includes.users[0]?.username);
          expect(typeof response.data.created_at).toBe('string');
        },
        on: {
          rejected: (e) => events.push(e),
          duplicate: (e) => events.push(e),
          'handoff-failed': (e) => events.push(e),
        },
      });
      const served = await serveWebhook(framework, receiver);
      servers.push(served);
      const client = new WebhooksClient({ bearerToken: 'emulator-token', baseUrl: emu.url });
      // Two webhooks (two URLs, the same receiver): redundant links, every post sent to both.
      const a = await client.register(served.url, { allowInsecure: true });
      const b = await client.register(`${served.url}?copy=b`, { allowInsecure: true });
      expect(a.valid && b.valid).toBe(true);
      await client.link(a.id, FIELDS);
      await client.link(b.id, FIELDS);
      expect((await client.links()).map((l) => l.webhookId).sort()).toEqual([a.id, b.id].sort());

      // Generous real-time bounds (the machine may be busy): the emulator runs in emulated time.
      // Once the second link alone carries POSTS posts, the first (linked before it, still linked)
      // carries them too: the overlap is at least POSTS whatever the speed.
      await vi.waitFor(
        () =>
          expect(emu!.webhooks.stats().matched[b.id]?.length ?? 0).toBeGreaterThanOrEqual(POSTS),
        { timeout: 60_000, interval: 50 },
      );
      await Promise.all([client.unlink(a.id), client.unlink(b.id)]);
      await vi.waitFor(() => expect(emu!.webhooks.stats().pending).toBe(0), {
        timeout: 60_000,
        interval: 50,
      });

      const stats = emu.webhooks.stats();
      const matched = new Set([...(stats.matched[a.id] ?? []), ...(stats.matched[b.id] ?? [])]);
      // Linked a moment apart, the two links carry the same posts but for their first and last few.
      const both = (stats.matched[a.id] ?? []).filter((id) => stats.matched[b.id]?.includes(id));
      expect(both.length).toBeGreaterThanOrEqual(POSTS / 2);
      // Every matched post handed over exactly once, none lost, none twice.
      expect([...handedOver].sort()).toEqual([...matched].sort());
      expect(new Set(handedOver).size).toBe(handedOver.length);
      expect(typed.every((u) => typeof u === 'string')).toBe(true);
      expect(stats.abandoned).toEqual({});
      // Every fault was applied and answered as it should be.
      expect(stats.faults.map((f) => f.type).sort()).toEqual([
        ...Array(3).fill('bad-signature'),
        ...Array(2).fill('cut-body'),
        ...Array(3).fill('redeliver'),
        ...Array(3).fill('truncated-body'),
      ]);
      const rejected = events.flatMap((e) => (e.type === 'rejected' ? [e.reason] : []));
      expect(rejected.filter((r) => r === 'bad-signature')).toHaveLength(6); // 3 bad, 3 truncated
      expect(events.some((e) => e.type === 'handoff-failed' && e.reason === 'consumer-error')).toBe(
        true,
      );
      // One duplicate per post carried by both links, one per redelivery.
      expect(receiver.stats.duplicates).toBe(both.length + 3);

      // A replay re-sends what webhook A was sent: all duplicates, nothing new.
      const before = handedOver.length;
      const duplicatesBefore = receiver.stats.duplicates;
      const now = emu.clock.now();
      // From a minute before A was registered: everything A was sent, whatever the speed.
      const job = await client.replay(
        a.id,
        { from: Date.parse(a.created_at) - 60_000, to: now },
        { now },
      );
      await vi.waitFor(
        () =>
          expect(emu!.webhooks.stats().replays.find((r) => r.jobId === job.jobId)?.done).toBe(true),
        { timeout: 60_000, interval: 50 },
      );
      const replay = emu.webhooks.stats().replays.find((r) => r.jobId === job.jobId);
      expect(replay?.posts).toBe(stats.matched[a.id]?.length);
      expect(handedOver).toHaveLength(before);
      expect(receiver.stats.duplicates - duplicatesBefore).toBe(replay?.posts);
    });
  },
);

describe('CRC on registration and on schedule', () => {
  test('a receiver with the wrong secret fails the registration CRC; the right one passes the hourly CRCs', async () => {
    emu = await startEmulator({
      seed: 'crc',
      timeScale: 3_600,
      rules: [{ value: BROAD_RULE }],
      webhooks: { crcIntervalMs: 600_000 },
    });
    const wrong = new WebhookReceiver({
      consumerSecret: 'not-the-apps-consumer-secret-000000000',
      onDelivery: () => undefined,
    });
    const right = new WebhookReceiver({
      consumerSecret: EMULATOR_CONSUMER_SECRET,
      onDelivery: () => undefined,
    });
    const crcs: number[] = [];
    right.on('crc', (e) => crcs.push(e.at));
    const wrongServer = await serveWebhook('node:http', wrong);
    const rightServer = await serveWebhook('node:http', right);
    servers.push(wrongServer, rightServer);
    const client = new WebhooksClient({ bearerToken: 'emulator-token', baseUrl: emu.url });
    const refused = await client
      .register(wrongServer.url, { allowInsecure: true })
      .catch((e: unknown) => e);
    expect((refused as Error).message).toMatch(/CRC check failed/);
    const webhook = await client.register(rightServer.url, { allowInsecure: true });
    // At 3,600× a 10-minute CRC interval is 1/6 s of real time: wait for three more.
    await vi.waitFor(() => expect(crcs.length).toBeGreaterThanOrEqual(4), {
      timeout: 30_000,
      interval: 20,
    });
    const listed = await client.list();
    expect(listed.map((w) => [w.id, w.valid])).toEqual([[webhook.id, true]]);
    expect(emu.webhooks.stats().webhooks[0]?.crcFailures).toBe(0);
    expect(await client.validate(webhook.id)).toEqual({ attempted: true });
  });
});
