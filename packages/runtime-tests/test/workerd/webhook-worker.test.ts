import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { SCRIPT_DEADLINE_MS } from '../support/run-script.js';
import { findRuntime, isRuntime, titleOf } from '../support/runtimes.js';
import { CONSUMER_SECRET, expectWebhookReceiver } from '../support/webhook-protocol.js';
import { type RunningWorker, startWorker } from './workerd.js';

// The README's Cloudflare Workers quick start ("Runtimes") is `webhook-worker.ts`, verbatim (so the
// root typecheck compiles it): @birdstream/webhooks' WebhookReceiver as a module worker, bundled
// from the built package under the conditions wrangler uses, served by workerd.
const workerd = await findRuntime('workerd');
if (!isRuntime(workerd))
  console.warn(`[runtime-tests] workerd tests are skipped: ${workerd.reason}`);
const webhookWorker = fileURLToPath(new URL('./webhook-worker.ts', import.meta.url));
const readme = readFileSync(
  fileURLToPath(new URL('../../../../README.md', import.meta.url)),
  'utf8',
);
const runtimes = readme.slice(
  readme.indexOf('\n## Runtimes'),
  readme.indexOf('\n## ', readme.indexOf('\n## Runtimes') + 1),
);
const workerQuickStart = [...runtimes.matchAll(/```ts\n([\s\S]*?)```/g)]
  .map((match) => match[1])
  .find((code) => code?.includes('@birdstream/webhooks'));

/** `<id> <text>` lines the worker's consumer printed: the post ids it was handed, in order. */
function printedIds(worker: RunningWorker): string[] {
  return [...worker.stdout().matchAll(/^(\d+) /gm)].map((match) => match[1] ?? '');
}

let worker: RunningWorker | undefined;
afterEach(async () => {
  await worker?.close();
  worker = undefined;
});

it("the README's Cloudflare Workers quick start is webhook-worker.ts, verbatim", () => {
  expect(
    workerQuickStart,
    'README.md has no ```ts block importing @birdstream/webhooks under "## Runtimes"',
  ).toBeDefined();
  expect(workerQuickStart).toBe(readFileSync(webhookWorker, 'utf8'));
});

describe.skipIf(!isRuntime(workerd))(titleOf(workerd), () => {
  for (const flags of [[], ['nodejs_compat']]) {
    it(
      `@birdstream/webhooks' receiver as a module worker (${flags.length ? flags.join(', ') : 'no compatibility flags'}): CRC, a signed delivery handed over with its id intact, a retry deduped, a one-bit change refused`,
      async () => {
        if (!isRuntime(workerd)) return;
        worker = await startWorker(workerd, webhookWorker, {
          compatibilityFlags: flags,
          bindings: { X_CONSUMER_SECRET: CONSUMER_SECRET },
        });
        // The receiver's path (webhooks, core under `workerd`) holds no node: import.
        expect(worker.code).not.toMatch(/["']node:/);
        const running = worker;
        await expectWebhookReceiver({
          url: running.url,
          waitForDelivery: (id) =>
            running.waitForStdout(() => printedIds(running).includes(id), `the delivery of ${id}`),
          delivered: () => printedIds(running),
        });
        expect(running.stdout()).toContain('1234567890123456789 signed on the runtime\n');
        expect(running.stderr()).not.toMatch(/error/i);
        expect(running.stdout() + running.stderr()).not.toContain(CONSUMER_SECRET);
      },
      SCRIPT_DEADLINE_MS * 2,
    );
  }
});
