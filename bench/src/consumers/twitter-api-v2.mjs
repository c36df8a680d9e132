// @ts-check
/**
 * twitter-api-v2: the request `client.v2.searchStream(params)` makes
 * (`getStream('tweets/search/stream', params, { payloadIsError })`), sent to
 * the loopback server with the documented `prefix` request argument of its
 * HTTP wrappers (doc/http-wrappers.md): `searchStream` itself takes no base
 * URL. `compression` is the client setting (`'gzip'` or off).
 *
 * It only speaks HTTPS (it calls `https.request`). Rather than give it alone
 * a TLS layer to pay for, its documented `httpAgent` setting gets an agent
 * that opens plain TCP connections (a `node:http` Agent that answers to
 * `https:`), so it reads the same plaintext bytes as every other consumer.
 */
import { Agent } from 'node:http';
import { ETwitterStreamEvent, TwitterApi } from 'twitter-api-v2';

const plainAgent = Object.assign(new Agent({ keepAlive: false }), { protocol: 'https:' });

/** @type {import('../consumer.mjs').Adapter} */
export default async function twitterApiV2({
  baseUrl,
  params,
  bearerToken,
  gzip,
  onMessage,
  signal,
}) {
  const client = new TwitterApi(bearerToken, {
    compression: gzip ? 'gzip' : false,
    httpAgent: /** @type {any} */ (plainAgent),
  });
  /** @type {Record<string, string>} */
  const query = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v.join(',')]));
  const stream = await client.v2.getStream('tweets/search/stream', query, {
    prefix: `${baseUrl.replace(/^http:/, 'https:')}/2/`,
    payloadIsError: (/** @type {any} */ payload) => Boolean(payload?.errors && !payload?.data),
  });
  await new Promise((resolve, reject) => {
    stream.on(ETwitterStreamEvent.Data, onMessage);
    stream.on(ETwitterStreamEvent.ConnectionClosed, () => resolve(undefined));
    stream.on(ETwitterStreamEvent.ConnectionError, (error) => reject(error));
    signal.addEventListener('abort', () => {
      stream.close();
      resolve(undefined);
    });
  });
}
