import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { SCRIPT_DEADLINE_MS } from '../support/run-script.js';
import { findRuntime, isRuntime, titleOf } from '../support/runtimes.js';
import { type RunningWorker, startWorker } from './workerd.js';

const workerd = await findRuntime('workerd');
if (!isRuntime(workerd))
  console.warn(`[runtime-tests] workerd tests are skipped: ${workerd.reason}`);
const smokeWorker = fileURLToPath(new URL('./smoke-worker.ts', import.meta.url));

let worker: RunningWorker | undefined;
afterEach(async () => {
  await worker?.close();
  worker = undefined;
});

describe.skipIf(!isRuntime(workerd))(titleOf(workerd), () => {
  for (const flags of [[], ['nodejs_compat']]) {
    it(
      `serves a module worker that uses @birdstream/core on loopback (${flags.length ? flags.join(', ') : 'no compatibility flags'})`,
      async () => {
        if (!isRuntime(workerd)) return;
        worker = await startWorker(workerd, smokeWorker, { compatibilityFlags: flags });
        // The workerd build of core holds no node: import (a worker without nodejs_compat has none).
        expect(worker.code).not.toMatch(/["']node:/);
        const response = await fetch(worker.url, {
          method: 'POST',
          body: '{"data":{"id":1234567890123456789}}',
        });
        expect(response.status).toBe(200);
        const answer = (await response.json()) as Record<string, unknown>;
        expect(answer).toEqual({
          id: '1234567890123456789',
          idType: 'string',
          version: expect.any(String),
          userAgent: 'Cloudflare-Workers',
          // workerd sets process.versions.node at this compatibility date, flag or no flag...
          processVersionsNode: expect.any(String),
          // ...and core still does not take it for Node: it keeps to fetch.
          nodeTransport: expect.stringMatching(/needs Node\.js/),
        });
        expect(worker.stderr()).not.toMatch(/error/i);
      },
      SCRIPT_DEADLINE_MS * 2,
    );
  }
});
