import {
  type ActivityEventType,
  type ActivitySubscriptionFilter,
  ConfigError,
  type Drift,
  type OpenEnum,
  type Problem,
} from '@birdstream/core';
import { attachDrift, REST_PATHS, relativePath } from '@birdstream/core/internal';
import type { z } from 'zod';
import type { RulesClientOptions } from '../client/types.js';
import { RulesResponseError } from '../errors/rules-response-error.js';
import { Transport, type TransportRequest } from '../http/transport.js';
import {
  type ActivitySubscription,
  SubscriptionCreateResponse,
  SubscriptionDeleteResponse,
  SubscriptionsListResponse,
  SubscriptionUpdateResponse,
} from './subscription-schemas.js';

/** Options of `new SubscriptionsClient()`: the same as `RulesClient`'s (token, base URL, fetch, retry, timeout). */
export type SubscriptionsClientOptions = RulesClientOptions;

/** What a new Activity subscription watches. */
export interface SubscriptionInput {
  /** The event type, such as `profile.update.bio` or `follow.follow`. */
  event_type: OpenEnum<ActivityEventType>;
  /** An account (`user_id`) and/or a `keyword` (1–150 characters). */
  filter: ActivitySubscriptionFilter;
  /** Your label for it (1–200 characters), echoed on each event. @default undefined */
  tag?: string;
  /** Deliver to this registered webhook as well. @default undefined */
  webhook_id?: string;
}

/** What `update()` can change. */
export interface SubscriptionUpdate {
  /** A new label (1–200 characters). @default unchanged */
  tag?: string;
  /** A new webhook id. @default unchanged */
  webhook_id?: string;
}

/** Cancels the request. */
export interface SubscriptionRequestOptions {
  /** Aborts the request (rejects with `AbortedError`). @default undefined */
  signal?: AbortSignal;
}

/** Options of `list()`. */
export interface SubscriptionListOptions extends SubscriptionRequestOptions {
  /** Subscriptions per page, 1 to 100 (`max_results`). @default X's default */
  maxResults?: number;
}

/** The result of `create()`. */
export interface CreatedSubscription {
  subscription: ActivitySubscription;
  /** Active subscriptions of the app after this one, when X says. */
  totalSubscriptions: number | undefined;
}

/** The result of `delete()`. */
export interface DeletedSubscription {
  deleted: boolean;
  /** Active subscriptions left, when X says. */
  totalSubscriptions: number | undefined;
}

const PATH = relativePath(REST_PATHS.activitySubscriptions);

/** What to do when a request that changes subscriptions answered unreadably. */
const SUBSCRIPTIONS_HINT = 'list the subscriptions to see where they stand';

/**
 * Manages X Activity subscriptions (`/2/activity/subscriptions`): they
 * select what the Activity stream (`client.activity()` in
 * `@birdstream/core`) delivers, as rules do for the filtered stream. The
 * same transport, token handling, retries and typed errors as `RulesClient`.
 *
 * @example
 * ```ts
 * import { SubscriptionsClient } from '@birdstream/rules';
 *
 * const subscriptions = new SubscriptionsClient({ bearerToken: process.env.X_BEARER_TOKEN });
 * const { subscription } = await subscriptions.create({
 *   event_type: 'profile.update.bio',
 *   filter: { user_id: '2244994945' },
 *   tag: 'bios',
 * });
 * console.log(subscription.subscription_id, (await subscriptions.list()).length);
 * ```
 */
export class SubscriptionsClient {
  readonly #transport: Transport;
  /** The API host requests go to. */
  readonly baseUrl: string;

  constructor(options: SubscriptionsClientOptions) {
    const { baseUrl, transport } = Transport.forClient('SubscriptionsClient', options);
    this.baseUrl = baseUrl;
    this.#transport = transport;
  }

  /**
   * Every subscription of the app (all pages, following `meta.next_token`).
   * A row X sent that could not be read is left out and reported, never
   * fatal: `driftOf(list)` (from `@birdstream/core`) holds it with its value.
   */
  async list(options: SubscriptionListOptions = {}): Promise<ActivitySubscription[]> {
    const { maxResults } = options;
    if (
      maxResults !== undefined &&
      (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 100)
    ) {
      throw new ConfigError(
        `maxResults must be a whole number from 1 to 100, got ${String(maxResults)}.`,
      );
    }
    const all: ActivitySubscription[] = [];
    const drift: Drift[] = [];
    const seen = new Set<string>();
    let token: string | undefined;
    do {
      const searchParams: Record<string, string> = {};
      if (maxResults !== undefined) searchParams.max_results = String(maxResults);
      if (token !== undefined) searchParams.pagination_token = token;
      const { body, drift: pageDrift } = await this.#transport.request(
        {
          method: 'GET',
          path: PATH,
          searchParams,
          signal: options.signal,
          operation: 'list the Activity subscriptions',
        },
        SubscriptionsListResponse,
      );
      all.push(...(body.data ?? []));
      drift.push(...pageDrift);
      if (body.data === undefined && body.errors !== undefined)
        throw this.#noData(body, 'list the Activity subscriptions', false);
      token = body.meta?.next_token;
      // A server that repeats a token would loop forever: stop there.
      if (token !== undefined && seen.has(token)) break;
      if (token !== undefined) seen.add(token);
    } while (token !== undefined);
    // A subscription X sent that could not be read is not listed: `driftOf(list)` says which and why.
    if (drift.length > 0) attachDrift(all, drift);
    return all;
  }

  /** Creates a subscription (`POST /2/activity/subscriptions`). */
  async create(
    input: SubscriptionInput,
    options: SubscriptionRequestOptions = {},
  ): Promise<CreatedSubscription> {
    checkInput(input);
    const operation = 'create an Activity subscription';
    const body = await this.#send(
      {
        method: 'POST',
        path: PATH,
        json: input,
        signal: options.signal,
        operation,
        effectHint: SUBSCRIPTIONS_HINT,
      },
      SubscriptionCreateResponse,
    );
    const subscription = body.data?.subscription;
    if (subscription === undefined) throw this.#noData(body, operation, true);
    return {
      subscription,
      totalSubscriptions:
        body.meta?.total_subscriptions ?? body.data?.total_subscriptions_for_instance_id,
    };
  }

  /** Changes a subscription's `tag` or `webhook_id` (`PUT /2/activity/subscriptions/{id}`). */
  async update(
    id: string,
    update: SubscriptionUpdate,
    options: SubscriptionRequestOptions = {},
  ): Promise<ActivitySubscription> {
    checkId(id, 'update()');
    if (
      typeof update !== 'object' ||
      update === null ||
      (update.tag === undefined && update.webhook_id === undefined)
    ) {
      throw new ConfigError('update() needs { tag } or { webhook_id } to change.');
    }
    if (update.tag !== undefined) checkTag(update.tag);
    const operation = `update Activity subscription ${id}`;
    const body = await this.#send(
      {
        method: 'PUT',
        path: `${PATH}/${id}`,
        json: update,
        signal: options.signal,
        operation,
        effectHint: SUBSCRIPTIONS_HINT,
      },
      SubscriptionUpdateResponse,
    );
    const subscription = body.data?.subscription;
    if (subscription === undefined) throw this.#noData(body, operation, true);
    return subscription;
  }

  /** Deletes a subscription (`DELETE /2/activity/subscriptions/{id}`). */
  async delete(id: string, options: SubscriptionRequestOptions = {}): Promise<DeletedSubscription> {
    checkId(id, 'delete()');
    const operation = `delete Activity subscription ${id}`;
    const body = await this.#send(
      {
        method: 'DELETE',
        path: `${PATH}/${id}`,
        signal: options.signal,
        operation,
        effectHint: SUBSCRIPTIONS_HINT,
      },
      SubscriptionDeleteResponse,
    );
    if (body.data === undefined) throw this.#noData(body, operation, true);
    return { deleted: body.data.deleted, totalSubscriptions: body.meta?.total_subscriptions };
  }

  /** Serialises without credentials. */
  toJSON(): Record<string, unknown> {
    return { baseUrl: this.baseUrl };
  }

  async #send<T>(request: TransportRequest, schema: z.ZodType<T>): Promise<T> {
    return (await this.#transport.request(request, schema)).body;
  }

  /** A success status without the expected `data`: X's `errors` (if any) as the issues. */
  #noData(
    body: { errors?: Problem[] | undefined },
    operation: string,
    mutating: boolean,
  ): RulesResponseError {
    return new RulesResponseError({
      kind: 'schema-mismatch',
      status: 200,
      operation,
      effectHint: mutating ? SUBSCRIPTIONS_HINT : undefined,
      bodyText: JSON.stringify(body),
      issues: (body.errors ?? [{ title: 'no data', type: 'about:blank' }]).map((problem) => ({
        path: ['data'],
        message: problem.detail ?? problem.title,
      })),
    });
  }
}

function checkId(id: unknown, where: string): void {
  if (typeof id !== 'string' || !/^[0-9]{1,19}$/.test(id)) {
    throw new ConfigError(
      `${where} needs a subscription id (1 to 19 digits), got ${JSON.stringify(id)}.`,
    );
  }
}

function checkTag(tag: unknown): void {
  if (typeof tag !== 'string' || tag.length < 1 || tag.length > 200) {
    throw new ConfigError('A subscription tag must be 1 to 200 characters.');
  }
}

function checkInput(input: SubscriptionInput): void {
  if (typeof input !== 'object' || input === null) {
    throw new ConfigError(
      "create() needs { event_type, filter }, such as { event_type: 'follow.follow', filter: { user_id } }.",
    );
  }
  if (typeof input.event_type !== 'string' || input.event_type === '') {
    throw new ConfigError("create() needs an event_type, such as 'profile.update.bio'.");
  }
  const filter = input.filter as { user_id?: unknown; keyword?: unknown } | undefined;
  if (
    typeof filter !== 'object' ||
    filter === null ||
    (filter.user_id === undefined && filter.keyword === undefined)
  ) {
    throw new ConfigError('create() needs a filter with a user_id or a keyword.');
  }
  if (
    filter.user_id !== undefined &&
    (typeof filter.user_id !== 'string' || !/^[0-9]{1,19}$/.test(filter.user_id))
  ) {
    throw new ConfigError('filter.user_id must be an account id (1 to 19 digits, as a string).');
  }
  if (
    filter.keyword !== undefined &&
    (typeof filter.keyword !== 'string' || filter.keyword.length < 1 || filter.keyword.length > 150)
  ) {
    throw new ConfigError('filter.keyword must be 1 to 150 characters.');
  }
  if (input.tag !== undefined) checkTag(input.tag);
}
