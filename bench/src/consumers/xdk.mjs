// @ts-check
/**
 * @xdevplatform/xdk (X's current SDK): `client.stream.posts(options)` with
 * the documented `baseUrl` client option, read through its event API
 * (`stream.on('data')`); its `for await` iterator polls a queue every
 * 10 ms, which would cap its throughput and latency by design.
 */
import { Client } from '@xdevplatform/xdk';

/** @type {import('../consumer.mjs').Adapter} */
export default async function xdk({ baseUrl, params, bearerToken, onMessage, signal }) {
  const client = new Client({ baseUrl, bearerToken });
  const stream = await client.stream.posts({
    expansions: [...params.expansions],
    tweetFields: [...params['tweet.fields']],
    userFields: [...params['user.fields']],
    mediaFields: [...params['media.fields']],
  });
  await new Promise((resolve, reject) => {
    stream.on('data', (/** @type {any} */ event) => {
      // The stream also emits status objects ({ message: 'Stream connected' }) as data.
      if (event && typeof event === 'object' && 'data' in event) onMessage(event);
    });
    stream.on('close', () => resolve(undefined));
    stream.on('error', (/** @type {any} */ event) => reject(event?.error ?? event));
    signal.addEventListener('abort', () => {
      stream.close();
      resolve(undefined);
    });
  });
}
