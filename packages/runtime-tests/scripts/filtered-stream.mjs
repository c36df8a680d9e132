// A filtered stream with backfill, as a user on Bun or Deno would read it: prints each post and
// lifecycle event until the test writes `stop`.
import { StreamClient } from '@birdstream/core';
import {
  config,
  describeError,
  describeEvent,
  emit,
  finish,
  runtime,
  STREAM_EVENTS,
  stopRequested,
} from './lib.mjs';

const { baseUrl, token, stallTimeoutMs } = config();
emit({ type: 'runtime', runtime });

// On Bun and Deno core must pick its fetch transport: asking for the Node one is refused.
try {
  new StreamClient({ bearerToken: token, baseUrl, transport: 'node' });
  emit({ type: 'node-transport', refused: false });
} catch (error) {
  emit({ type: 'node-transport', refused: true, error: describeError(error) });
}

const client = new StreamClient({ bearerToken: token, baseUrl });
const stream = client.filter(
  { expansions: ['author_id'], 'tweet.fields': ['created_at'] },
  { backfill: 'auto', stallTimeoutMs },
);
for (const type of STREAM_EVENTS) {
  stream.on(type, (event) => emit({ type: 'event', event: describeEvent(type, event) }));
}
void stopRequested().then(() => stream.close());
try {
  for await (const response of stream) {
    emit({ type: 'post', id: response.data.id, author: response.includes.users[0]?.username });
  }
} catch (error) {
  emit({ type: 'error', error: describeError(error) });
}
finish();
