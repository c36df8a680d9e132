// @ts-check
/**
 * birdstream rx: `fromFilteredStream(...).pipe(responses())` with
 * `validate: 'off'`, so its row compares with core's `validate: 'off'` row.
 */
import { StreamClient } from '@birdstream/core';
import { fromFilteredStream, responses } from '@birdstream/rx';

/** @type {import('../consumer.mjs').Adapter} */
export default function birdstreamRx({ baseUrl, params, bearerToken, gzip, onMessage, signal }) {
  const client = new StreamClient({ bearerToken, baseUrl, compression: gzip });
  return new Promise((resolve, reject) => {
    const subscription = fromFilteredStream(client, params, { validate: 'off' })
      .pipe(responses())
      .subscribe({ next: onMessage, error: reject, complete: () => resolve() });
    signal.addEventListener('abort', () => {
      subscription.unsubscribe();
      resolve();
    });
  });
}
