import {
  AbortedError,
  ConfigError,
  ConnectionError,
  createApiError,
  isBirdstreamError,
  normalizeBearerToken,
  parseJsonLossless,
  readErrorBody,
  toPayloadIssues,
} from '@birdstream/core';
import ky, { isHTTPError, isTimeoutError, type KyInstance, type RetryOptions } from 'ky';
import type { z } from 'zod';
import { RulesResponseError } from '../errors/rules-response-error.js';
import { resolveRetry } from './retry.js';
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
}

/** One request to the rules (or Activity subscriptions) endpoints. */
export interface TransportRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path below the base URL, without a leading slash. */
  path: string;
  searchParams?: Record<string, string>;
  json?: unknown;
  signal?: AbortSignal | undefined;
  /** What is being done, for messages: `list the filtered stream rules`. */
  operation: string;
}

/** A successful response whose body matched the schema. */
export interface ParsedResponse<T> {
  status: number;
  headers: Headers;
  body: T;
}

/** The default time to wait for a response, per attempt. */
export const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Sends rules requests with ky and turns every failure into a birdstream
 * error: HTTP errors through core's `createApiError`, timeouts and network
 * failures into `ConnectionError`, cancellation into `AbortedError`. ky's own
 * errors never escape, since they carry the request and its Authorization
 * header.
 */
export class Transport {
  readonly #ky: KyInstance;
  readonly #token: string;
  readonly #timeoutMs: number;

  constructor(options: TransportOptions) {
    this.#token = normalizeBearerToken(options.bearerToken);
    this.#timeoutMs = checkTimeout(options.timeoutMs);
    this.#ky = ky.create({
      prefixUrl: options.baseUrl,
      headers: {
        authorization: `Bearer ${this.#token}`,
        'user-agent': userAgent(options.userAgent),
        accept: 'application/json',
      },
      retry: resolveRetry(options.retry),
      timeout: this.#timeoutMs,
      throwHttpErrors: true,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  }

  /** Sends the request and parses the JSON body with `schema`. */
  async request<T>(request: TransportRequest, schema: z.ZodType<T>): Promise<ParsedResponse<T>> {
    const { status, headers, bodyText } = await this.send(request);
    const mutating = request.method !== 'GET';
    let json: unknown;
    try {
      json = parseJsonLossless(bodyText);
    } catch (cause) {
      throw new RulesResponseError({
        kind: 'invalid-json',
        status,
        operation: request.operation,
        mutating,
        bodyText,
        cause,
      });
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issues = toPayloadIssues(parsed.error.issues);
      throw new RulesResponseError({
        kind: 'schema-mismatch',
        status,
        operation: request.operation,
        mutating,
        bodyText,
        issues,
      });
    }
    return { status, headers, body: parsed.data };
  }

  private async send(
    request: TransportRequest,
  ): Promise<{ status: number; headers: Headers; bodyText: string }> {
    const { signal } = request;
    if (signal?.aborted) throw aborted(request, signal);
    try {
      const response = await this.#ky(request.path, {
        method: request.method,
        ...(request.searchParams ? { searchParams: request.searchParams } : {}),
        ...(request.json !== undefined ? { json: request.json } : {}),
        ...(signal ? { signal } : {}),
      });
      const bodyText = await response.text();
      return { status: response.status, headers: response.headers, bodyText };
    } catch (error) {
      throw await this.toBirdstreamError(error, request);
    }
  }

  private async toBirdstreamError(error: unknown, request: TransportRequest): Promise<Error> {
    const { signal, operation } = request;
    if (signal?.aborted) return aborted(request, signal);
    if (isHTTPError(error)) {
      const bodyText = await readErrorBody(error.response).catch(() => '');
      return createApiError({
        status: error.response.status,
        headers: error.response.headers,
        bodyText: this.redact(bodyText),
        operation,
      });
    }
    if (isTimeoutError(error)) {
      return new ConnectionError(
        `X did not answer within ${this.#timeoutMs} ms while trying to ${operation}; check the network, or raise timeoutMs.`,
      );
    }
    if (isBirdstreamError(error)) return error;
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return new ConnectionError(
      `Could not reach X while trying to ${operation} (${this.redact(reason)}); check the network and baseUrl.`,
      { cause: this.safeCause(error) },
    );
  }

  /**
   * The original error, kept as `cause` only when it cannot reveal the token:
   * not one that holds the Request (ky's errors), and not one whose text
   * contains the token.
   */
  private safeCause(error: unknown): Error | undefined {
    if (!(error instanceof Error) || isRequestBearing(error)) return undefined;
    const text = `${error.message}\n${error.stack ?? ''}`;
    return text.includes(this.#token) ? undefined : error;
  }

  /** Removes the token from text that came from elsewhere (a custom fetch's error, say). */
  private redact(text: string): string {
    return text.split(this.#token).join('[redacted]');
  }
}

function aborted(request: TransportRequest, signal: AbortSignal): AbortedError {
  return new AbortedError(`The request to ${request.operation} was aborted.`, {
    cause: signal.reason,
  });
}

/** Errors that hold a Request (and so its headers) must not be kept as `cause`. */
function isRequestBearing(error: Error): boolean {
  return 'request' in error || 'options' in error;
}

function checkTimeout(timeoutMs: number | undefined): number {
  if (timeoutMs === undefined) return DEFAULT_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 2_147_483_647) {
    throw new ConfigError(
      `timeoutMs must be a whole number of milliseconds from 1 to 2147483647, got ${String(timeoutMs)}.`,
    );
  }
  return timeoutMs;
}
