// A consumer that takes one post and then nothing until the server can send no more, then reads
// on slowly, while the server streams gzip as fast as it is let: what the runtime's fetch holds
// for it shows in the process's peak RSS over what it had before connecting. The posts read on
// must be intact and in order.
import process from 'node:process';
import { StreamClient } from '@birdstream/core';
import { config, describeError, emit, finish, runtime } from './lib.mjs';

const { baseUrl, token, readAfter } = config();
emit({ type: 'runtime', runtime });
// Warm up fetch itself first, so that the baseline holds its machinery.
await (await fetch(`${baseUrl}/status`)).json();
const rssBefore = process.memoryUsage.rss();
let rssPeak = rssBefore;
const sample = () => {
  rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
};
const client = new StreamClient({ bearerToken: token, baseUrl });
// No stall watchdog while the consumer holds: nothing is read then, on purpose.
const stream = client.filter({}, { validate: 'off', stallTimeoutMs: 3_600_000 });
const posts = stream[Symbol.asyncIterator]();
try {
  const first = await posts.next();
  sample();
  let status;
  for (;;) {
    status = await (await fetch(`${baseUrl}/status`)).json();
    sample();
    if (status.blocked || status.overrun) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  // A slow reader: a pause after every 20 posts gives the runtime's fetch time to read ahead.
  let expected = BigInt(first.value.data.id) + 1n;
  let inOrder = true;
  for (let i = 0; i < readAfter; i++) {
    const next = await posts.next();
    if (next.done || next.value.data.id !== String(expected)) inOrder = false;
    expected += 1n;
    if (i % 20 === 0) {
      sample();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
  sample();
  await stream.close();
  emit({ type: 'result', rssBefore, rssPeak, status, inOrder });
} catch (error) {
  emit({ type: 'error', error: describeError(error) });
}
finish();
