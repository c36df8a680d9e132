// Helpers of the scripts that the runtime tests run on Bun and Deno (plain JavaScript, so every
// runtime runs the same file). They talk to the test through stdout (one JSON object a line)
// and stdin (`stop`). The scripts may use node: modules; the packages they test may not need to.
import process from 'node:process';

/** `bun 1.4.5`, `deno 2.9.6` or `node 20.20.2`. */
export const runtime =
  typeof Bun !== 'undefined'
    ? `bun ${Bun.version}`
    : typeof Deno !== 'undefined'
      ? `deno ${Deno.version.deno}`
      : `node ${process.versions.node}`;

/** What the test passed (`RUNTIME_TEST_CONFIG`). */
export function config() {
  return JSON.parse(process.env.RUNTIME_TEST_CONFIG ?? '{}');
}

/** Prints one message for the test. */
export function emit(message) {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

/** An error as the test needs it (name, code, message). */
export function describeError(error) {
  return {
    name: error?.name,
    code: error?.code,
    message: String(error?.message ?? error),
  };
}

/** Resolves when the test writes `stop` on stdin. */
export function stopRequested() {
  return new Promise((resolve) => {
    let input = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (chunk) => {
      input += chunk;
      if (input.includes('stop')) resolve();
    });
    process.stdin.on('end', resolve);
  });
}

/** Prints `done` with a result, then exits once it is written. */
export function finish(result = {}) {
  process.stdout.write(`${JSON.stringify({ type: 'done', ...result })}\n`, () => process.exit(0));
}

/** The lifecycle events a stream emits, as plain data. */
export const STREAM_EVENTS = [
  'connected',
  'reconnecting',
  'backfill',
  'duplicate',
  'stalled',
  'payload-invalid',
  'error',
];

export function describeEvent(type, event) {
  return {
    type,
    ...(event?.failure === undefined ? {} : { failure: event.failure }),
    ...(event?.reason === undefined ? {} : { reason: describeError(event.reason) }),
    ...(event?.timeoutMs === undefined ? {} : { timeoutMs: event.timeoutMs }),
    ...(event?.minutes === undefined ? {} : { minutes: event.minutes }),
  };
}
