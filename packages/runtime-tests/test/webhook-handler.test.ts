import { join } from 'node:path';
import { expect, it } from 'vitest';
import { closeAfterEach, describeEachRuntime } from './support/each-runtime.js';
import { PACKAGE_DIR, runScript, SCRIPT_DEADLINE_MS } from './support/run-script.js';
import { expectSignedDeliveries } from './support/signed-delivery.js';

// The harness for a webhook handler on Bun and Deno: `scripts/serve-handler.mjs` serves any
// module that exports `default { fetch }` with the runtime's own server. Pointed here at the
// signed-delivery smoke handler; @birdstream/webhooks' handler takes its place when it lands.
const HANDLER = './handlers/signed-echo.mjs';

const track = closeAfterEach();

describeEachRuntime((runtime) => {
  it(
    "a web-standard handler on the runtime's own server: CRC, a signed delivery, a one-bit change refused",
    async () => {
      const script = track(
        runScript(
          runtime,
          'serve-handler.mjs',
          { handler: HANDLER },
          {},
          // The handler is imported by a computed path, so Deno asks for read access to it and
          // to what it imports (the workspace's packages, through node_modules).
          { allowRead: join(PACKAGE_DIR, '..', '..') },
        ),
        (x) => x.kill(),
      );
      const listening = await script.waitFor((m) => m.type === 'listening', 'listening');
      await expectSignedDeliveries(String(listening.url));
      script.stop();
      await script.waitFor((m) => m.type === 'done', 'done');
      expect(await script.exited).toBe(0);
      expect(script.stderr()).toBe('');
    },
    SCRIPT_DEADLINE_MS * 2,
  );
});
