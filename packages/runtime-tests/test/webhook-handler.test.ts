import { join } from 'node:path';
import { expect, it } from 'vitest';
import { closeAfterEach, describeEachRuntime } from './support/each-runtime.js';
import {
  PACKAGE_DIR,
  type RunningScript,
  runScript,
  SCRIPT_DEADLINE_MS,
} from './support/run-script.js';
import {
  CONSUMER_SECRET,
  deliveryBody,
  expectWebhookReceiver,
  POST_ID,
  SECOND_ID,
} from './support/webhook-protocol.js';

// @birdstream/webhooks' WebhookReceiver, built, on Bun.serve and Deno.serve: `scripts/serve-handler.mjs`
// serves `scripts/handlers/webhook-receiver.mjs` (the receiver, its secret from X_CONSUMER_SECRET),
// which prints each delivery its `onDelivery` listener and its `deliveries()` stream receive.
const HANDLER = './handlers/webhook-receiver.mjs';

const track = closeAfterEach();

/** The post ids one consumer of the script printed, in order. */
function deliveredVia(script: RunningScript, via: string) {
  return script.messages.filter((m) => m.type === 'delivery' && m.via === via);
}

describeEachRuntime((runtime) => {
  it(
    "@birdstream/webhooks' receiver on the runtime's own server: CRC, a signed delivery handed to the listener and the stream with its id intact, a retry deduped, a one-bit change refused",
    async () => {
      const script = track(
        runScript(
          runtime,
          'serve-handler.mjs',
          { handler: HANDLER },
          { X_CONSUMER_SECRET: CONSUMER_SECRET },
          // The handler is imported by a computed path, so Deno asks for read access to it and
          // to what it imports (the workspace's packages, through node_modules).
          { allowRead: join(PACKAGE_DIR, '..', '..') },
        ),
        (x) => x.kill(),
      );
      const listening = await script.waitFor((m) => m.type === 'listening', 'listening');
      await expectWebhookReceiver({
        url: String(listening.url),
        waitForDelivery: async (id) => {
          await script.waitFor(
            (m) => m.type === 'delivery' && m.via === 'onDelivery' && m.id === id,
            `the delivery of ${id}`,
          );
        },
        delivered: () => deliveredVia(script, 'onDelivery').map((m) => String(m.id)),
      });

      // The listener and the stream each had both posts once, as X signed them, the 19-digit
      // id a string equal to the one in the JSON (not a rounded double).
      for (const via of ['onDelivery', 'deliveries']) {
        expect(deliveredVia(script, via)).toEqual(
          [
            [POST_ID, 'signed on the runtime'],
            [SECOND_ID, 'the second post'],
          ].map(([id, text]) => ({
            type: 'delivery',
            via,
            id,
            dataId: id,
            dataIdType: 'string',
            text: deliveryBody(id ?? '', text ?? '').toString(),
          })),
        );
      }
      expect(script.messages.filter((m) => m.type === 'event').map((m) => m.event)).toEqual([
        { type: 'crc' },
        { type: 'rejected', reason: 'missing-crc-token', status: 400 },
        { type: 'duplicate', id: POST_ID },
        { type: 'rejected', reason: 'bad-signature', status: 401 },
        { type: 'rejected', reason: 'missing-signature', status: 401 },
      ]);

      script.stop();
      await script.waitFor((m) => m.type === 'done', 'done');
      expect(await script.exited).toBe(0);
      expect(script.stderr()).toBe('');
      expect(script.stdout()).not.toContain(CONSUMER_SECRET);
    },
    SCRIPT_DEADLINE_MS * 2,
  );
});
