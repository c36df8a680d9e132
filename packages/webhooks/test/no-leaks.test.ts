import { inspect } from 'node:util';
import { SecretScrubber } from '@birdstream/core';
import { describe, expect, test, vi } from 'vitest';
import { WEBHOOK_EVENT_TYPES, type WebhookEvent, WebhookReceiver } from '../src/index.js';
import {
  crcRequest,
  deliveryRequest,
  NEXT_SECRET,
  nodeSignature,
  postBody,
  SECRET,
} from './support/deliveries.js';

const CRC_TOKEN = 'Q1JDLXRva2VuLWZyb20tWC0xMjM0NTY3ODk';

/** Every text an error can show: message, stack, JSON, inspect, and its causes. */
function textsOf(value: unknown, depth = 0): string[] {
  if (depth > 5 || value === undefined || value === null) return [];
  if (!(value instanceof Error)) return [JSON.stringify(value) ?? '', inspect(value, { depth: 8 })];
  return [
    value.message,
    value.stack ?? '',
    JSON.stringify(value),
    inspect(value, { depth: 8, showHidden: false }),
    ...textsOf(value.cause, depth + 1),
  ];
}

describe('a secret or token never appears in a response, an event, an error or a log', () => {
  test('through CRCs, refusals, failures, duplicates and deliveries', async () => {
    const logged: string[] = [];
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        logged.push(args.map((a) => (typeof a === 'string' ? a : inspect(a))).join(' '));
      });
    }
    const events: WebhookEvent[] = [];
    let calls = 0;
    const done = new Set<string>();
    const receiver = new WebhookReceiver({
      consumerSecret: [SECRET, NEXT_SECRET],
      maxBodyBytes: 4096,
      dedupe: {
        claim: (id) => {
          if (id === '999') throw new Error(`redis auth failed for ${SECRET}`);
          if (done.has(id)) return { status: 'duplicate' };
          return {
            status: 'new',
            commit: () => void done.add(id),
            release: () => undefined,
          };
        },
      },
      // Your code's errors may quote anything, even the secret: they are scrubbed before they are reported.
      onDelivery: () => {
        calls++;
        if (calls === 1) throw new Error(`failed with secret ${SECRET} and ${NEXT_SECRET}`);
      },
    });
    for (const type of WEBHOOK_EVENT_TYPES) {
      receiver.on(type, (e) => events.push(e));
    }
    const requests = [
      crcRequest(CRC_TOKEN),
      crcRequest(`{${CRC_TOKEN}`),
      crcRequest(undefined),
      deliveryRequest(postBody('1')), // the consumer throws: 500
      deliveryRequest(postBody('1')), // the retry: delivered
      deliveryRequest(postBody('1')), // duplicate
      deliveryRequest(postBody('999')), // the store throws: 503
      deliveryRequest(postBody('2'), { signature: null }),
      deliveryRequest(postBody('2'), {
        signature: nodeSignature(postBody('2'), 'not-the-secret-at-all-000000000'),
      }),
      deliveryRequest(postBody('2'), { signature: `sha256=${SECRET}` }),
      deliveryRequest(`{"data": "${SECRET}"`),
      deliveryRequest(`{"data": {"id": 1, "text": "${SECRET}"}}`),
      deliveryRequest(postBody('3', 'x'.repeat(5000))),
      new Request('https://example.com/x', { method: 'DELETE' }),
    ];
    const texts: string[] = [];
    for (const request of requests) {
      const response = await receiver.fetch(request);
      texts.push(await response.text(), JSON.stringify([...response.headers]));
    }
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining([
        'crc',
        'rejected',
        'handoff-failed',
        'delivered',
        'duplicate',
        'verified',
      ]),
    );
    for (const event of events) {
      texts.push(JSON.stringify(event), inspect(event, { depth: 8 }));
      if ('error' in event) texts.push(...textsOf(event.error));
    }
    texts.push(
      JSON.stringify(receiver),
      inspect(receiver, { depth: 8 }),
      JSON.stringify(receiver.stats),
    );
    texts.push(...logged);
    const scrubber = new SecretScrubber().add(SECRET).add(NEXT_SECRET).add(CRC_TOKEN);
    for (const text of texts) expect(scrubber.reveals(text), text.slice(0, 300)).toBe(false);
    // The reported failure still says what happened (scrubbed, not dropped).
    const failure = events.find(
      (e) => e.type === 'handoff-failed' && e.reason === 'consumer-error',
    );
    expect(((failure as { error: Error }).error.cause as Error).message).toBe(
      'failed with secret [redacted] and [redacted]',
    );
  });
});
