import {
  bearerTokenFromEnv,
  ConfigError,
  normalizeBearerToken,
  type ProxyOption,
  resolveBaseUrl,
} from '@birdstream/core';
import { type RestRequest, type RestResponse, RestTransport } from '@birdstream/core/internal';
import type { RetryOptions } from 'ky';
import type { z } from 'zod';
import { RulesResponseError } from '../errors/rules-response-error.js';
import { userAgent } from './user-agent.js';

/** How the transport reaches X. */
export interface TransportOptions {
  /** The token as given (normalised here by core's `normalizeBearerToken`); `undefined` when neither the option nor the environment had one. */
  bearerToken: string | undefined;
  /** Normalised, without a trailing slash. */
  baseUrl: string;
  fetch?: typeof globalThis.fetch | undefined;
  userAgent?: string | undefined;
  retry?: number | RetryOptions | undefined;
  timeoutMs?: number | undefined;
  proxy?: ProxyOption | undefined;
}

/** One request to the rules or Activity subscriptions endpoints. */
export type TransportRequest = RestRequest;

/** A successful response whose body matched the schema. */
export type ParsedResponse<T> = RestResponse<T>;

export { DEFAULT_REST_TIMEOUT_MS as DEFAULT_TIMEOUT_MS } from '@birdstream/core';

/**
 * Core's `RestTransport` with the rules package's identity: its own
 * `User-Agent` (`birdstream-rules/<version>`) and `RulesResponseError` for a
 * success status with an unreadable body. Everything else — ky with
 * retries, typed errors, the token scrubbed from every text, exact ids — is
 * core's, shared with the Connections and usage clients.
 */
/** The options every client of this package takes (`RulesClient`, `SubscriptionsClient`). */
export interface ClientTransportOptions {
  bearerToken?: string | undefined;
  baseUrl?: string | undefined;
  fetch?: typeof globalThis.fetch | undefined;
  userAgent?: string | undefined;
  retry?: number | RetryOptions | undefined;
  timeoutMs?: number | undefined;
  proxy?: ProxyOption | undefined;
}

export class Transport extends RestTransport {
  /**
   * The transport of a client named `client` (for the error message) from
   * its options: the base URL resolved like every birdstream client, the
   * token from the option or the environment.
   */
  static forClient(
    client: string,
    options: ClientTransportOptions,
  ): { baseUrl: string; transport: Transport } {
    if (!options || typeof options !== 'object') {
      throw new ConfigError(
        `new ${client}() needs options: { bearerToken }, or {} to read X_BEARER_TOKEN.`,
      );
    }
    const baseUrl = resolveBaseUrl(options.baseUrl);
    const transport = new Transport({
      bearerToken: options.bearerToken ?? bearerTokenFromEnv(),
      baseUrl,
      fetch: options.fetch,
      userAgent: options.userAgent,
      retry: options.retry,
      timeoutMs: options.timeoutMs,
      proxy: options.proxy,
    });
    return { baseUrl, transport };
  }

  constructor(options: TransportOptions) {
    super({
      bearerToken: normalizeBearerToken(options.bearerToken),
      baseUrl: options.baseUrl,
      userAgent: userAgent(options.userAgent),
      fetch: options.fetch,
      retry: options.retry,
      timeoutMs: options.timeoutMs,
      proxy: options.proxy,
      responseError: (init) => new RulesResponseError(init),
    });
  }

  /** A request that changes the rules says what to do when its answer cannot be read. */
  override request<T>(request: TransportRequest, schema: z.ZodType<T>): Promise<ParsedResponse<T>> {
    const hinted =
      request.method !== 'GET' && request.effectHint === undefined
        ? { ...request, effectHint: 'list the rules to see where they stand' }
        : request;
    return super.request(hinted, schema);
  }
}
