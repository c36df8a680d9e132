import {
  bearerTokenFromEnv,
  ConfigError,
  type FieldParams,
  normalizeBearerToken,
  type Problem,
  type ProxyOption,
  ResponseError,
  resolveBaseUrl,
  STREAM_ENDPOINT_TABLE,
  userAgentFor,
} from '@birdstream/core';
import {
  REST_PATHS,
  type RestRequest,
  RestTransport,
  type RestTransportOptions,
  relativePath,
  toSearchParams,
} from '@birdstream/core/internal';
import type { z } from 'zod';
import packageJson from '../../package.json' with { type: 'json' };
import { type ReplayWindow, replayWindow } from './replay-window.js';
import {
  CreateWebhookResponse,
  DeletedResponse,
  LinkCreateResponse,
  LinksListResponse,
  ListWebhooksResponse,
  ReplayJobResponse,
  ValidateWebhookResponse,
  type WebhookConfig,
  type WebhookLinkSchema,
} from './webhook-schemas.js';
import { checkWebhookUrl } from './webhook-url.js';

/** Options of `new WebhooksClient()`: the same as every birdstream REST client's. */
export interface WebhooksClientOptions {
  /**
   * The OAuth 2.0 app-only bearer token (a leading `Bearer ` is removed).
   * @default process.env.X_BEARER_TOKEN ?? process.env.TWITTER_BEARER_TOKEN
   */
  bearerToken?: string | undefined;
  /** The API origin. @default process.env.BIRDSTREAM_BASE_URL ?? 'https://api.x.com' */
  baseUrl?: string | undefined;
  /** Your product token, sent before birdstream's own in `User-Agent`. @default undefined */
  userAgent?: string | undefined;
  /** The fetch implementation. @default globalThis.fetch */
  fetch?: typeof globalThis.fetch | undefined;
  /** An HTTP proxy (Node): a URL, or `'env'` for `HTTPS_PROXY` / `NO_PROXY`. @default false */
  proxy?: ProxyOption | undefined;
  /** Time to wait for each response, per attempt. @default 10_000 */
  timeoutMs?: number | undefined;
  /**
   * Retries of GET requests (ky's options); a registration, link or replay is
   * never retried on its own, since X may have done it.
   * @default 2 retries on 408, 429 and 5xx, honouring `x-rate-limit-reset`
   */
  retry?: RestTransportOptions['retry'];
}

export type { ReplayWindow };

/** Cancels a request. */
export interface WebhooksRequestOptions {
  /** Aborts the request (rejects with `AbortedError`). @default undefined */
  signal?: AbortSignal;
}

/** A registered webhook: X ran a CRC against it before answering. */
export type CreatedWebhook = WebhookConfig;

/** One link of the filtered stream to a webhook. */
export interface WebhookLink {
  webhookId: string | undefined;
  /** The fields and expansions it delivers with, read back from X's `fields` list. */
  params: Record<string, string[]>;
  createdAt: string | undefined;
  /** The link as X returned it. */
  raw: z.infer<typeof WebhookLinkSchema>;
}

/** Options of `link()`. */
export interface LinkOptions extends WebhooksRequestOptions {}

/** A replay job X accepted. */
export interface ReplayJob {
  jobId: string;
  createdAt: string;
  /** The window asked for, as sent. */
  fromDate: string;
  toDate: string;
}

const WEBHOOKS = relativePath(REST_PATHS.webhooks);
const REPLAY = relativePath(REST_PATHS.webhookReplay);
const LINKS = relativePath(REST_PATHS.filteredStreamWebhooks);
const WEBHOOKS_HINT = 'list the webhooks to see where they stand';
const LINKS_HINT = 'list the webhook links to see where they stand';

/**
 * Manages X's webhooks (`/2/webhooks`) and their links to the filtered stream
 * (`/2/tweets/search/webhooks`), on core's REST transport: the bearer token
 * from the option or the environment, retries of reads, typed errors
 * (`AuthenticationError`, `RateLimitError`, `BadRequestError`, …), the token
 * scrubbed from every text, exact ids. Rules stay on `RulesClient`
 * (`@birdstream/rules`): a linked webhook receives what they match.
 *
 * @example
 * ```ts
 * const webhooks = new WebhooksClient({ bearerToken: process.env.X_BEARER_TOKEN });
 * const { id } = await webhooks.register('https://example.com/webhooks/x'); // X runs a CRC first
 * await webhooks.link(id, { 'tweet.fields': ['created_at'], expansions: ['author_id'] });
 * ```
 */
export class WebhooksClient {
  readonly #transport: RestTransport;
  /** The API host requests go to. */
  readonly baseUrl: string;
  /** Whether the base URL is X's own API (URLs are then checked as X checks them). */
  readonly #isX: boolean;

  constructor(options: WebhooksClientOptions = {}) {
    if (typeof options !== 'object' || options === null) {
      throw new ConfigError(
        'new WebhooksClient() needs options: { bearerToken }, or {} to read X_BEARER_TOKEN.',
      );
    }
    this.baseUrl = resolveBaseUrl(options.baseUrl);
    this.#isX = /(^|\.)(x|twitter)\.com$/.test(new URL(this.baseUrl).hostname);
    this.#transport = new RestTransport({
      bearerToken: normalizeBearerToken(options.bearerToken ?? bearerTokenFromEnv()),
      baseUrl: this.baseUrl,
      userAgent: userAgentFor('birdstream-webhooks', packageJson.version, options.userAgent),
      fetch: options.fetch,
      retry: options.retry,
      timeoutMs: options.timeoutMs,
      proxy: options.proxy,
    });
  }

  /**
   * Registers `url` (`POST /2/webhooks`). X sends it a CRC before it answers,
   * so the receiver must already be serving there. The URL is checked first as
   * X checks it (https, no port, at most 200 characters) when the base URL
   * is X's; an emulator or a proxy (`BIRDSTREAM_BASE_URL`) may take
   * `http://127.0.0.1:port`.
   */
  async register(
    url: string,
    options: WebhooksRequestOptions & {
      /** Accept `http:` and a port (a local emulator). @default true unless the base URL is X's API */
      allowInsecure?: boolean;
    } = {},
  ): Promise<CreatedWebhook> {
    checkWebhookUrl(url, { allowInsecure: options.allowInsecure ?? !this.#isX });
    const body = await this.#send(
      {
        method: 'POST',
        path: WEBHOOKS,
        json: { url },
        signal: options.signal,
        operation: 'register the webhook',
        effectHint: WEBHOOKS_HINT,
      },
      CreateWebhookResponse,
    );
    return body;
  }

  /** The app's webhooks (`GET /2/webhooks`), with `valid` telling which pass their CRCs. */
  async list(options: WebhooksRequestOptions = {}): Promise<WebhookConfig[]> {
    const body = await this.#send(
      {
        method: 'GET',
        path: WEBHOOKS,
        searchParams: { 'webhook_config.fields': 'created_at,id,url,valid' },
        signal: options.signal,
        operation: 'list the webhooks',
      },
      ListWebhooksResponse,
    );
    if (body.data === undefined && body.errors !== undefined) {
      throw noData(body, 'list the webhooks', undefined);
    }
    return body.data ?? [];
  }

  /**
   * Asks X to run a CRC now (`PUT /2/webhooks/{id}`): how an invalid webhook
   * becomes valid again. `attempted` says X ran it; `list()` shows `valid`.
   */
  async validate(
    id: string,
    options: WebhooksRequestOptions = {},
  ): Promise<{ attempted: boolean }> {
    checkId(id, 'validate()');
    const operation = `validate webhook ${id}`;
    const body = await this.#send(
      {
        method: 'PUT',
        path: `${WEBHOOKS}/${id}`,
        signal: options.signal,
        operation,
        effectHint: WEBHOOKS_HINT,
      },
      ValidateWebhookResponse,
    );
    if (body.data === undefined) throw noData(body, operation, WEBHOOKS_HINT);
    return { attempted: body.data.attempted };
  }

  /** Deletes a webhook (`DELETE /2/webhooks/{id}`). */
  async delete(id: string, options: WebhooksRequestOptions = {}): Promise<{ deleted: boolean }> {
    checkId(id, 'delete()');
    const operation = `delete webhook ${id}`;
    const body = await this.#send(
      {
        method: 'DELETE',
        path: `${WEBHOOKS}/${id}`,
        signal: options.signal,
        operation,
        effectHint: WEBHOOKS_HINT,
      },
      DeletedResponse,
    );
    if (body.data === undefined) throw noData(body, operation, WEBHOOKS_HINT);
    return { deleted: body.data.deleted };
  }

  /**
   * Links webhook `id` to the filtered stream (`POST /2/tweets/search/webhooks/{id}`)
   * with the same `*.fields` and `expansions` as a stream request: X then
   * POSTs every post that matches the rules to it. Give the receiver the same
   * object as `fields` so the deliveries are typed alike. Link several
   * webhooks for redundancy (the receiver drops the duplicates).
   */
  async link(
    id: string,
    fields: FieldParams = {},
    options: LinkOptions = {},
  ): Promise<{ provisioned: boolean }> {
    checkId(id, 'link()');
    const operation = `link webhook ${id} to the filtered stream`;
    const searchParams = Object.fromEntries(toSearchParams(checkFields(fields)));
    const body = await this.#send(
      {
        method: 'POST',
        path: `${LINKS}/${id}`,
        searchParams,
        signal: options.signal,
        operation,
        effectHint: LINKS_HINT,
      },
      LinkCreateResponse,
    );
    if (body.data === undefined) throw noData(body, operation, LINKS_HINT);
    return { provisioned: body.data.provisioned };
  }

  /** The filtered stream's webhook links (`GET /2/tweets/search/webhooks`). */
  async links(options: WebhooksRequestOptions = {}): Promise<WebhookLink[]> {
    const body = await this.#send(
      { method: 'GET', path: LINKS, signal: options.signal, operation: 'list the webhook links' },
      LinksListResponse,
    );
    if (body.data === undefined && body.errors !== undefined) {
      throw noData(body, 'list the webhook links', undefined);
    }
    return (body.data?.links ?? []).map((raw) => ({
      webhookId: raw.webhook_id,
      params: linkParams(raw.fields ?? []),
      createdAt: raw.created_at,
      raw,
    }));
  }

  /** Unlinks webhook `id` from the filtered stream (`DELETE /2/tweets/search/webhooks/{id}`). */
  async unlink(id: string, options: WebhooksRequestOptions = {}): Promise<{ deleted: boolean }> {
    checkId(id, 'unlink()');
    const operation = `unlink webhook ${id} from the filtered stream`;
    const body = await this.#send(
      {
        method: 'DELETE',
        path: `${LINKS}/${id}`,
        signal: options.signal,
        operation,
        effectHint: LINKS_HINT,
      },
      DeletedResponse,
    );
    if (body.data === undefined) throw noData(body, operation, LINKS_HINT);
    return { deleted: body.data.deleted };
  }

  /**
   * Asks X to redeliver to webhook `id` what it delivered or tried to deliver
   * between `from` and `to` (`POST /2/webhooks/replay`): within the last 24
   * hours, one job per webhook at a time. The receiver's dedupe drops what was
   * already handed over, provided it remembers that far back (a Redis store
   * keeps 25 hours; the memory store 10 minutes unless told otherwise).
   */
  async replay(
    id: string,
    window: { from: Date | number; to?: Date | number },
    options: WebhooksRequestOptions & {
      /** The current time, for the 24-hour check. @default Date.now() */
      now?: number;
    } = {},
  ): Promise<ReplayJob> {
    checkId(id, 'replay()');
    if (typeof window !== 'object' || window === null) {
      throw new ConfigError(
        'replay() needs { from, to? } (Dates or epoch ms within the last 24 hours).',
      );
    }
    const now = options.now ?? Date.now();
    const dates = replayWindow(window.from, window.to ?? now, now);
    const operation = `start a replay job for webhook ${id}`;
    const body = await this.#send(
      {
        method: 'POST',
        path: REPLAY,
        json: { webhook_id: id, ...dates },
        signal: options.signal,
        operation,
        effectHint: 'wait for the job to finish before starting another (one job per webhook)',
      },
      ReplayJobResponse,
    );
    const job = body;
    return {
      jobId: job.job_id,
      createdAt: job.created_at,
      fromDate: dates.from_date,
      toDate: dates.to_date,
    };
  }

  /** Serialises without credentials. */
  toJSON(): Record<string, unknown> {
    return { baseUrl: this.baseUrl };
  }

  async #send<T>(request: RestRequest, schema: z.ZodType<T>): Promise<T> {
    return (await this.#transport.request(request, schema)).body;
  }
}

function checkId(id: unknown, where: string): void {
  if (typeof id !== 'string' || !/^[0-9]{1,19}$/.test(id)) {
    throw new ConfigError(
      `${where} needs a webhook id (1 to 19 digits, as a string), got ${JSON.stringify(id)}.`,
    );
  }
}

/** The filtered stream's field parameters (a link takes no backfill or recovery window). */
const LINK_PARAMS: readonly string[] = Object.keys(STREAM_ENDPOINT_TABLE.filter.fields);

function checkFields(fields: FieldParams): FieldParams {
  if (typeof fields !== 'object' || fields === null) {
    throw new ConfigError(
      "link() takes the stream's fields: { 'tweet.fields': [...], expansions: [...] }.",
    );
  }
  for (const key of Object.keys(fields)) {
    if (!LINK_PARAMS.includes(key)) {
      throw new ConfigError(
        `link() takes ${LINK_PARAMS.join(', ')}; ${JSON.stringify(key)} is not one of them.`,
      );
    }
  }
  return fields;
}

/** X's `fields` list (`tweet.fields=created_at,lang`, `expansions=author_id`) as parameters. */
function linkParams(fields: readonly string[]): Record<string, string[]> {
  const params: Record<string, string[]> = {};
  for (const entry of fields) {
    const at = entry.indexOf('=');
    if (at === -1) continue;
    const key = entry.slice(0, at);
    const values = entry
      .slice(at + 1)
      .split(',')
      .filter((v) => v !== '');
    params[key] = [...(params[key] ?? []), ...values];
  }
  return params;
}

/** A success status without the expected `data`: X's `errors` (if any) as the issues. */
function noData(
  body: { errors?: Problem[] | undefined },
  operation: string,
  effectHint: string | undefined,
): ResponseError {
  return new ResponseError({
    kind: 'schema-mismatch',
    status: 200,
    operation,
    effectHint,
    bodyText: JSON.stringify(body),
    issues: (body.errors ?? [{ title: 'no data', type: 'about:blank' }]).map((problem) => ({
      path: ['data'],
      message: problem.detail ?? problem.title,
    })),
  });
}
