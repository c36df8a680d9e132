import type { KyInstance, Options as KyOptions, RetryOptions } from 'ky';
import type { z } from 'zod';
import { parseJsonLossless } from '../decode/lossless-json.js';
import { scrubDrifted } from '../decode/scrub-drifted.js';
import { type Drift, readTolerantly } from '../decode/tolerant-reader.js';
import { AbortedError } from '../errors/aborted-error.js';
import { isBirdstreamError } from '../errors/birdstream-error.js';
import { ConfigError } from '../errors/config-error.js';
import { ConnectionError } from '../errors/connection-error.js';
import { createApiError } from '../errors/create-api-error.js';
import { toPayloadIssues } from '../errors/payload-error.js';
import { readErrorBody } from '../http/error-body.js';
import { SecretScrubber } from '../secrets/secret-scrubber.js';
import { createNodeTransportLazily, isNode } from '../transport/create-transport.js';
import { loadKy } from '../transport/load-ky.js';
import { createNodeFetch } from '../transport/node-fetch.js';
import { createProxyResolver, type ProxyOption } from '../transport/proxy.js';
import { ResponseError, type ResponseErrorInit } from './response-error.js';
import { resolveRetry } from './retry.js';

/** How a REST transport reaches X. */
export interface RestTransportOptions {
  /** The bearer token, already checked (`resolveBearerToken`). */
  bearerToken: string;
  /** Normalised, without a trailing slash (`resolveBaseUrl`). */
  baseUrl: string;
  /** The whole `User-Agent` header value. */
  userAgent: string;
  fetch?: typeof globalThis.fetch | undefined;
  retry?: number | RetryOptions | undefined;
  timeoutMs?: number | undefined;
  /**
   * Send the requests through an HTTP proxy (Node): a URL
   * `http://[user:password@]host:port`, or `'env'` for `HTTPS_PROXY` /
   * `HTTP_PROXY` / `NO_PROXY`. The requests then go through birdstream's Node
   * transport (CONNECT tunnels for https), like the streams'. Not with a
   * custom `fetch` (give that one its own proxy).
   * @default false
   */
  proxy?: ProxyOption | undefined;
  /**
   * Builds the error for a success status with an unreadable body, so a
   * package can throw its own `ResponseError` subclass.
   * @default (init) => new ResponseError(init)
   */
  responseError?: ((init: ResponseErrorInit) => ResponseError) | undefined;
}

/** One REST request. */
export interface RestRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path below the base URL, without a leading slash (`2/connections`). */
  path: string;
  searchParams?: Record<string, string>;
  json?: unknown;
  signal?: AbortSignal | undefined;
  /** What is being done, for messages: `list the stream connections`. */
  operation: string;
  /**
   * For a request that changes state: what the caller should do when the
   * answer cannot be read (`list the rules to see where they stand`).
   */
  effectHint?: string;
}

/** A successful response whose body matched the schema. */
export interface RestResponse<T> {
  status: number;
  headers: Headers;
  body: T;
  /**
   * What X sent that was not of its declared type, and what was done: a
   * row of a list (`['data', 3]`) or an optional field that could not be
   * read is set aside (left out of `body`, its value here, the token
   * scrubbed); a count sent as a numeric string is coerced. Empty when the
   * body matched as sent.
   */
  drift: Drift[];
}

/** The default time to wait for a response, per attempt. */
export const DEFAULT_REST_TIMEOUT_MS = 10_000;

/**
 * Sends JSON requests to X's REST endpoints (rules, Activity subscriptions,
 * Connections, usage) with ky, and turns every failure into a birdstream
 * error: HTTP errors through `createApiError`, timeouts and network failures
 * into `ConnectionError`, cancellation into `AbortedError`, unreadable
 * bodies into `ResponseError`. ky's own errors never escape, since they
 * carry the request and its Authorization header. Long ids are read exactly.
 */
export class RestTransport {
  /** ky is loaded on the first request (see `loadKy`). */
  #ky: Promise<KyInstance> | undefined;
  readonly #kyOptions: KyOptions;
  readonly #token: string;
  /** Knows the token: every text from the server or the network is scrubbed with it. */
  readonly #scrubber: SecretScrubber;
  readonly #timeoutMs: number;
  readonly #origin: string;
  readonly #responseError: (init: ResponseErrorInit) => ResponseError;

  constructor(options: RestTransportOptions) {
    this.#token = options.bearerToken;
    this.#scrubber = new SecretScrubber().add(this.#token);
    this.#responseError = options.responseError ?? ((init) => new ResponseError(init));
    this.#timeoutMs = checkTimeout(options.timeoutMs);
    const host = new URL(options.baseUrl).host;
    // X by name only when it is X: a local emulator or a proxy is called by its host.
    this.#origin = /(^|\.)(x|twitter)\.com$/.test(new URL(options.baseUrl).hostname) ? 'X' : host;
    this.#kyOptions = {
      prefixUrl: options.baseUrl,
      headers: {
        authorization: `Bearer ${this.#token}`,
        'user-agent': options.userAgent,
        accept: 'application/json',
      },
      retry: resolveRetry(options.retry),
      timeout: this.#timeoutMs,
      throwHttpErrors: true,
      ...restFetch(options),
    };
    // Start loading ky now, so that the first request does not wait for it.
    loadKy().catch(() => undefined);
  }

  /** Sends the request and parses the JSON body with `schema`. */
  async request<T>(request: RestRequest, schema: z.ZodType<T>): Promise<RestResponse<T>> {
    const { status, headers, bodyText } = await this.#send(request);
    try {
      return this.#parse(request, schema, status, headers, bodyText);
    } catch (error) {
      throw this.#scrubber.scrubError(error);
    }
  }

  #parse<T>(
    request: RestRequest,
    schema: z.ZodType<T>,
    status: number,
    headers: Headers,
    bodyText: string,
  ): RestResponse<T> {
    const base = {
      status,
      operation: request.operation,
      effectHint: request.effectHint,
      bodyText,
    };
    let json: unknown;
    try {
      json = parseJsonLossless(bodyText);
    } catch (cause) {
      throw this.#responseError({ ...base, kind: 'invalid-json', cause });
    }
    const parsed = schema.safeParse(json);
    if (parsed.success) return { status, headers, body: parsed.data, drift: [] };
    // One unexpected row must not cost the others: read tolerantly, report what was set aside.
    // `data` itself is kept: a body whose `data` cannot be read at all is an error.
    const drift: Drift[] = [];
    const read = readTolerantly(schema, json, drift, { keep: ['data'] });
    if (!read.ok) {
      throw this.#responseError({
        ...base,
        kind: 'schema-mismatch',
        issues: toPayloadIssues(parsed.error.issues),
      });
    }
    scrubDrifted(this.#scrubber, bodyText, drift);
    return { status, headers, body: read.value as T, drift };
  }

  async #send(
    request: RestRequest,
  ): Promise<{ status: number; headers: Headers; bodyText: string }> {
    const { signal } = request;
    if (signal?.aborted) throw aborted(request, signal);
    try {
      this.#ky ??= loadKy().then(({ default: ky }) => ky.create(this.#kyOptions));
      const http = await this.#ky;
      const response = await http(request.path, {
        method: request.method,
        ...(request.searchParams ? { searchParams: request.searchParams } : {}),
        ...(request.json !== undefined ? { json: request.json } : {}),
        ...(signal ? { signal } : {}),
      });
      const bodyText = await response.text();
      return { status: response.status, headers: response.headers, bodyText };
    } catch (error) {
      throw await this.#toBirdstreamError(error, request);
    }
  }

  async #toBirdstreamError(error: unknown, request: RestRequest): Promise<Error> {
    const { signal, operation } = request;
    if (signal?.aborted) return aborted(request, signal);
    // ky is loaded by now, unless loading it is what failed.
    const { isHTTPError, isTimeoutError } = await loadKy().catch(() => ({
      isHTTPError: () => false,
      isTimeoutError: () => false,
    }));
    if (isHTTPError(error)) {
      const bodyText = await readErrorBody(error.response).catch(() => '');
      return createApiError({
        status: error.response.status,
        headers: error.response.headers,
        bodyText,
        operation,
        scrubber: this.#scrubber,
      });
    }
    if (isTimeoutError(error)) {
      return new ConnectionError(
        `${this.#origin} did not answer within ${this.#timeoutMs} ms while trying to ${operation}; check the network, or raise timeoutMs.`,
      );
    }
    if (isBirdstreamError(error)) return this.#scrubber.scrubError(error);
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return new ConnectionError(
      `Could not reach ${this.#origin} while trying to ${operation} (${this.#redact(reason)}); check the network and baseUrl.`,
      { cause: this.#safeCause(error) },
    );
  }

  /**
   * The original error, kept as `cause` only when it cannot reveal the token:
   * not one that holds the Request (ky's errors), and not one whose text
   * contains the token.
   */
  #safeCause(error: unknown): Error | undefined {
    if (!(error instanceof Error) || 'request' in error || 'options' in error) return undefined;
    const text = `${error.message}\n${error.stack ?? ''}`;
    return this.#scrubber.reveals(text) ? undefined : error;
  }

  /** Removes the token from text that came from elsewhere (a custom fetch's error, say). */
  #redact(text: string): string {
    return this.#scrubber.scrub(text);
  }
}

function aborted(request: RestRequest, signal: AbortSignal): AbortedError {
  return new AbortedError(`The request to ${request.operation} was aborted.`, {
    cause: signal.reason,
  });
}

function checkTimeout(timeoutMs: number | undefined): number {
  if (timeoutMs === undefined) return DEFAULT_REST_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 2_147_483_647) {
    throw new ConfigError(
      `timeoutMs must be a whole number of milliseconds from 1 to 2147483647, got ${String(timeoutMs)}.`,
    );
  }
  return timeoutMs;
}

/** The fetch the REST requests use: the caller's, birdstream's Node transport through a proxy, or the global one. */
function restFetch(options: RestTransportOptions): { fetch?: typeof globalThis.fetch } {
  const proxy = createProxyResolver(options.proxy);
  if (proxy === undefined) return options.fetch ? { fetch: options.fetch } : {};
  if (options.fetch) {
    throw new ConfigError(
      'proxy cannot be combined with a custom fetch: configure the proxy in that fetch instead.',
    );
  }
  if (!isNode()) throw new ConfigError('The proxy option needs Node (it uses node:http).');
  return { fetch: createNodeFetch(createNodeTransportLazily({ proxy })) };
}
