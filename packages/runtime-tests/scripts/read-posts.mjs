// Reads a few posts with core's defaults and closes: what the request asked for is the point.
import { StreamClient } from '@birdstream/core';
import { config, describeError, emit, finish, runtime } from './lib.mjs';

const { baseUrl, token, count } = config();
emit({ type: 'runtime', runtime });
const stream = new StreamClient({ bearerToken: token, baseUrl }).filter({}, { validate: 'off' });
try {
  let read = 0;
  for await (const response of stream) {
    emit({ type: 'post', id: response.data.id });
    if (++read >= count) break;
  }
} catch (error) {
  emit({ type: 'error', error: describeError(error) });
}
await stream.close();
finish();
