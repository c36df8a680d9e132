import type { Drift, ProxyOption } from '@birdstream/core';
import type { RetryOptions } from 'ky';
import type { Rule } from '../schemas/rule.js';
import type { RuleError } from './rule-errors.js';

/** Options of {@link RulesClient}. */
export interface RulesClientOptions {
  /**
   * The OAuth 2.0 app-only bearer token of your X app. Never logged, never
   * in errors. When omitted (or `undefined`), it is read from the
   * `X_BEARER_TOKEN` environment variable, then `TWITTER_BEARER_TOKEN`
   * (Node only); with neither, the constructor throws `ConfigError`.
   * @default process.env.X_BEARER_TOKEN ?? process.env.TWITTER_BEARER_TOKEN
   */
  bearerToken?: string | undefined;
  /**
   * The API host, optionally with a path prefix (for a proxy or an emulator).
   * When omitted, the `BIRDSTREAM_BASE_URL` environment variable is used if
   * set (Node only).
   * @default process.env.BIRDSTREAM_BASE_URL ?? 'https://api.x.com'
   */
  baseUrl?: string | undefined;
  /**
   * The `fetch` to use (a test double, or a fetch of your own).
   * @default globalThis.fetch
   */
  fetch?: typeof globalThis.fetch;
  /**
   * An HTTP proxy for the requests (Node): `http://[user:password@]host:port`,
   * or `'env'` for `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY`, through core's
   * Node transport (CONNECT tunnels for https). Not with a custom `fetch`.
   * @default false
   */
  proxy?: ProxyOption;
  /**
   * Your product token, sent before birdstream's in `User-Agent` (X asks for a
   * client-versioned User-Agent), such as `my-monitor/2.1`.
   * @default undefined (`birdstream-rules/<version>` alone)
   */
  userAgent?: string;
  /**
   * ky's retry options, merged over the defaults, or a retry count. By default
   * GET requests are retried twice with exponential backoff on 408, 429, 5xx,
   * timeouts and network errors, and a 429 waits for `x-rate-limit-reset`.
   * POST requests (add, delete) are never retried unless you opt in with
   * `{ methods: ['get', 'post'] }`. `0` turns retries off.
   * @default { limit: 2, methods: ['get'], statusCodes: [408, 429, 500, 502, 503, 504], afterStatusCodes: [429, 503], retryOnTimeout: true, backoffLimit: 30_000 }
   * @example
   * ```ts
   * new RulesClient({ bearerToken, retry: { limit: 4, maxRetryAfter: 60_000 } });
   * ```
   */
  retry?: number | RetryOptions;
  /**
   * How long to wait for each response, in milliseconds.
   * @default 10_000
   */
  timeoutMs?: number;
}

/** A rule to add: its value and an optional tag (free text, echoed in `matching_rules`). */
export interface RuleInput {
  /** The rule, such as `cat has:images -is:retweet`. */
  value: string;
  /** A label to recognise the rule by in matched posts. */
  tag?: string | undefined;
}

/** Options every request accepts. */
export interface RequestOptions {
  /** Cancels the request (and any retry wait); the call rejects with `AbortedError`. */
  signal?: AbortSignal;
}

/** Options of {@link RulesClient.list}. */
export interface ListOptions extends RequestOptions {
  /**
   * Only these rule ids (each 1 to 19 digits). Sent 1,000 per request, X's limit.
   * @default undefined (every rule)
   */
  ids?: readonly string[];
  /**
   * Rules per page, 1 to 1,000.
   * @default undefined (X's default, 1,000)
   */
  maxResults?: number;
}

/** Options of {@link RulesClient.pages}. */
export interface PagesOptions extends ListOptions {
  /**
   * Start from this page (a `nextToken` of an earlier page).
   * @default undefined (the first page)
   */
  paginationToken?: string;
}

/** One page of rules. */
export interface RulesPage {
  rules: Rule[];
  /** When X produced the page (`meta.sent`). */
  sent?: string;
  /** `meta.result_count`, when X sends it. */
  resultCount?: number;
  /** The token of the next page; absent on the last page. */
  nextToken?: string;
  /** Problems X reported alongside the page (for example unknown ids). */
  errors: RuleError[];
  /**
   * Rows (`['data', 4]`) or fields X sent that could not be read as
   * declared: set aside with their value as sent (the other rules are
   * listed), or coerced. Empty when the page was read as sent.
   */
  drift: Drift[];
}

/** Options of {@link RulesClient.add}. */
export interface AddOptions extends RequestOptions {
  /**
   * Validate only (`?dry_run=true`): X answers as if the rules were added,
   * with generated ids, but stores nothing.
   * @default false
   */
  dryRun?: boolean;
}

/** Options of {@link RulesClient.delete}. */
export interface DeleteOptions extends RequestOptions {
  /**
   * Check only (`?dry_run=true`): nothing is deleted.
   * @default false
   */
  dryRun?: boolean;
}

/** Which rules {@link RulesClient.delete} removes: by id, or by exact value. */
export type DeleteTarget = { ids: readonly string[] } | { values: readonly string[] };

/** Options of {@link RulesClient.deleteAll}. */
export interface DeleteAllOptions extends RequestOptions {
  /**
   * Must be `true`, also with `dryRun`: deleted rules cannot be recovered.
   * @default false
   */
  confirm?: boolean;
  /**
   * Check only (`?dry_run=true`): nothing is deleted.
   * @default false
   */
  dryRun?: boolean;
}

/** The fields `counts()` can ask for (`rules_count.fields`). */
export type RulesCountField =
  | 'all_project_client_apps'
  | 'cap_per_client_app'
  | 'cap_per_project'
  | 'client_app_rules_count'
  | 'project_rules_count';

/** Options of {@link RulesClient.counts}. */
export interface CountsOptions extends RequestOptions {
  /**
   * Which counts to ask for.
   * @default every field
   */
  fields?: readonly RulesCountField[];
}
