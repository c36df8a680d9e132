// @ts-check
/**
 * twitter-api-sdk (X's earlier official SDK): `client.tweets.searchStream`
 * with the documented `base_url` request option. It reads the body with
 * node-fetch 2, which asks for gzip and inflates it on its own; identity
 * scenarios are served identity regardless.
 */
import { Client } from 'twitter-api-sdk';

/** @type {import('../consumer.mjs').Adapter} */
export default async function twitterApiSdk({ baseUrl, params, bearerToken, onMessage, signal }) {
  const client = new Client(bearerToken, { base_url: baseUrl });
  const stream = client.tweets.searchStream(/** @type {any} */ (params));
  signal.addEventListener('abort', () => {
    stream.return(undefined).catch(() => {});
  });
  for await (const message of stream) {
    onMessage(message);
    if (signal.aborted) break;
  }
}
