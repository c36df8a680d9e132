import type { RetryOptions } from 'ky';
import { resolveBaseUrl } from '../http/base-url.js';
import { resolveBearerToken } from '../http/bearer-token.js';
import { checkUserAgent } from '../http/user-agent.js';
import { RestTransport } from '../rest/rest-transport.js';
import type { ProxyOption } from '../transport/proxy.js';
import { userAgent } from '../version.js';

/** Options of `ConnectionsClient` and `UsageClient`. */
export interface AdminClientOptions {
  /**
   * The OAuth 2.0 app-only bearer token, as for `StreamClient` (a leading
   * `Bearer ` is removed).
   * @default process.env.X_BEARER_TOKEN ?? process.env.TWITTER_BEARER_TOKEN
   */
  bearerToken?: string | undefined;
  /** The API origin. @default process.env.BIRDSTREAM_BASE_URL ?? 'https://api.x.com' */
  baseUrl?: string | undefined;
  /** Your product token, sent before birdstream's own in `User-Agent`. */
  userAgent?: string;
  /** The fetch implementation. @default globalThis.fetch */
  fetch?: typeof globalThis.fetch;
  /**
   * An HTTP proxy for the requests (Node): `http://[user:password@]host:port`,
   * or `'env'` for `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY`, as for streams.
   * @default false
   */
  proxy?: ProxyOption;
  /** Time to wait for each response, per attempt. @default 10_000 */
  timeoutMs?: number;
  /**
   * Retries of GET requests (ky's retry options; DELETEs are never retried
   * unless you add `'delete'` to `methods`).
   * @default 2 retries on 408, 429 and 5xx, honouring `x-rate-limit-reset`
   */
  retry?: number | RetryOptions;
}

/** The REST transport an admin client sends its requests with. */
export function createAdminTransport(options: AdminClientOptions): RestTransport {
  return new RestTransport({
    bearerToken: resolveBearerToken(options.bearerToken),
    baseUrl: resolveBaseUrl(options.baseUrl),
    userAgent: userAgent(checkUserAgent(options.userAgent)),
    fetch: options.fetch,
    proxy: options.proxy,
    retry: options.retry,
    timeoutMs: options.timeoutMs,
  });
}
