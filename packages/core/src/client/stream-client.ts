import type { ConnectionEndpointId } from '../admin/admin-schemas.js';
import { ConnectionsClient } from '../admin/connections-client.js';
import { resolveDedupe } from '../dedupe/post-dedupe.js';
import type { ReclaimContext } from '../driver/reclaim-stale.js';
import { STREAM_ENDPOINT_TABLE, type StreamEndpointInfo } from '../endpoints/endpoint-table.js';
import { buildStreamUrl, checkEndpoint, endpointLabel } from '../endpoints/endpoint-url.js';
import { ConfigError } from '../errors/config-error.js';
import { resolveBaseUrl } from '../http/base-url.js';
import { resolveBearerToken } from '../http/bearer-token.js';
import { checkUserAgent } from '../http/user-agent.js';
import type {
  ComplianceStreamParams,
  EventStreamParams,
  FilteredStreamParams,
  FirehoseLanguage,
  FirehoseStreamParams,
  LanguageFirehoseParams,
  LikesFirehoseParams,
  LikesSample10Params,
  Sample10StreamParams,
  SampleStreamParams,
  StreamEndpointName,
  StreamParamsFor,
} from '../params/stream-params.js';
import type { ReclaimSettings } from '../reconnect/supervision-options.js';
import type { StreamResponse } from '../schemas/index.js';
import { SecretScrubber } from '../secrets/secret-scrubber.js';
import { type Clock, systemClock } from '../time/clock.js';
import type { ConnectOptions, StreamConnection } from '../transport/connection-types.js';
import { createTransport } from '../transport/create-transport.js';
import { openConnection } from '../transport/open-connection.js';
import type { HttpTransport } from '../transport/transport-types.js';
import type {
  ActivityMessage,
  FilteredStreamResponseFor,
  LikeComplianceMessage,
  LikeStreamResponseFor,
  SampleStreamResponseFor,
  StreamResponseFor,
  TweetComplianceMessage,
  TweetLabelMessage,
  UserComplianceMessage,
} from '../types/index.js';
import { userAgent } from '../version.js';
import { checkConnectTimeout, type StreamClientOptions } from './client-options.js';
import { EndpointStream } from './endpoint-stream.js';
import {
  type PartitionedStreamName,
  type PartitionedStreamOptions,
  type PartitionSelection,
  partitionNumbers,
} from './partition-selection.js';
import { PartitionedStream } from './partitioned-stream.js';
import { resolveStreamOptions, type StreamOptions } from './stream-options.js';

const FIREHOSE_LANGUAGES: readonly FirehoseLanguage[] = ['en', 'ja', 'ko', 'pt'];

/**
 * The client for X API v2 streams: `filter()` (your rules), `sample()`
 * (about 1 % of all posts), and the Enterprise `sample10()` and
 * `firehose()`. Each returns an `EndpointStream` that reconnects by X's policy,
 * watches for stalls, and can backfill and deduplicate. `connect()` opens a
 * single raw connection for libraries that bring their own retry logic.
 *
 * @example
 * ```ts
 * import { StreamClient } from '@birdstream/core';
 *
 * const client = new StreamClient({ bearerToken: process.env.X_BEARER_TOKEN });
 * const stream = client.filter({ 'tweet.fields': ['created_at', 'author_id'] });
 * for await (const response of stream) {
 *   console.log(response.data.id, response.data.created_at, response.matching_rules);
 * }
 * ```
 */
export class StreamClient {
  /** The API origin requests go to (no trailing slash). */
  readonly baseUrl: string;
  readonly #token: string;
  /** Knows the token; everything a connection reports passes through it. */
  readonly #scrubber: SecretScrubber;
  readonly #clock: Clock;
  readonly #transport: HttpTransport;
  readonly #connectTimeoutMs: number;
  readonly #userAgent: string;
  readonly #acceptEncoding: string;
  readonly #fetch: typeof globalThis.fetch | undefined;
  readonly #productToken: string | undefined;
  /** Made on the first reclaim (`reclaimStaleConnections: true`). */
  #connections: ConnectionsClient | undefined;

  constructor(options: StreamClientOptions) {
    if (typeof options !== 'object' || options === null) {
      throw new ConfigError(
        'new StreamClient() needs an options object: { bearerToken }, or {} to read X_BEARER_TOKEN.',
      );
    }
    this.#token = resolveBearerToken(options.bearerToken);
    this.#scrubber = new SecretScrubber().add(this.#token);
    this.baseUrl = resolveBaseUrl(options.baseUrl);
    this.#clock = options.clock ?? systemClock;
    this.#connectTimeoutMs = checkConnectTimeout(options.connectTimeoutMs);
    this.#userAgent = userAgent(checkUserAgent(options.userAgent));
    this.#acceptEncoding = options.compression === false ? 'identity' : 'gzip';
    this.#fetch = options.fetch;
    this.#productToken = options.userAgent;
    this.#transport = createTransport(options);
  }

  /**
   * The filtered stream (`GET /2/tweets/search/stream`): posts matching the
   * App's rules, each with the `matching_rules` that matched. Add rules
   * first (`@birdstream/rules`); without any, X answers 409 and the loop
   * throws `RuleConfigurationError`.
   *
   * @example
   * ```ts
   * const stream = client.filter(
   *   { expansions: ['author_id'], 'user.fields': ['username'] },
   *   { backfill: 'auto' },
   * );
   * for await (const { data, includes } of stream) console.log(includes.users[0]?.username, data.text);
   * ```
   */
  filter<const P extends FilteredStreamParams = {}>(
    params?: P,
    options?: StreamOptions,
  ): EndpointStream<FilteredStreamResponseFor<P>> {
    return this.stream('filter', params ?? {}, options);
  }

  /** The 1 % sample stream (`GET /2/tweets/sample/stream`). */
  sample<const P extends SampleStreamParams = {}>(
    params?: P,
    options?: StreamOptions,
  ): EndpointStream<SampleStreamResponseFor<P>> {
    return this.stream('sample', params ?? {}, options);
  }

  /** The 10 % sample stream (`GET /2/tweets/sample10/stream`, Enterprise); `partition` 1 or 2. */
  sample10<const P extends Sample10StreamParams>(
    params: P,
    options?: StreamOptions,
  ): EndpointStream<SampleStreamResponseFor<P>> {
    return this.stream('sample10', params, options);
  }

  /** The firehose (`GET /2/tweets/firehose/stream`, Enterprise); `partition` 1 to 20. */
  firehose<const P extends FirehoseStreamParams>(
    params: P,
    options?: StreamOptions,
  ): EndpointStream<SampleStreamResponseFor<P>> {
    return this.stream('firehose', params, options);
  }

  /**
   * A language firehose (`GET /2/tweets/firehose/stream/lang/{en,ja,ko,pt}`,
   * Enterprise): posts in one language; `partition` 1 to 8 for `en`, 1 or 2
   * for the others.
   *
   * @example
   * ```ts
   * for await (const { data } of client.firehoseLang('ja', { partition: 1 })) console.log(data.text);
   * ```
   */
  firehoseLang<L extends FirehoseLanguage, const P extends LanguageFirehoseParams<L>>(
    lang: L,
    params: P,
    options?: StreamOptions,
  ): EndpointStream<SampleStreamResponseFor<P>> {
    if (!FIREHOSE_LANGUAGES.includes(lang)) {
      throw new ConfigError(
        `There is no ${String(lang)} firehose; use one of ${FIREHOSE_LANGUAGES.join(', ')}.`,
      );
    }
    return this.stream(`firehose-${lang}`, params, options);
  }

  /**
   * The likes firehose (`GET /2/likes/firehose/stream`, Enterprise):
   * every like, `partition` 1 to 20, deduplicated by the like's id.
   *
   * @example
   * ```ts
   * const likes = client.likesFirehose({
   *   partition: 1,
   *   'like_with_tweet_author.fields': ['created_at', 'liked_tweet_id'],
   *   expansions: ['liked_tweet_id'],
   * });
   * for await (const { data, includes } of likes) console.log(data.created_at, includes.tweets[0]?.text);
   * ```
   */
  likesFirehose<const P extends LikesFirehoseParams>(
    params: P,
    options?: StreamOptions,
  ): EndpointStream<LikeStreamResponseFor<P>> {
    return this.stream('likes-firehose', params, options);
  }

  /** The 10 % likes sample (`GET /2/likes/sample10/stream`, Enterprise); `partition` 1 or 2. */
  likesSample10<const P extends LikesSample10Params>(
    params: P,
    options?: StreamOptions,
  ): EndpointStream<LikeStreamResponseFor<P>> {
    return this.stream('likes-sample10', params, options);
  }

  /**
   * The posts compliance stream (`GET /2/tweets/compliance/stream`,
   * Enterprise; `partition` 1 to 4): deletions, withholdings, drops,
   * undrops and edits you must apply to stored posts. Tell the event kind
   * with `complianceEvent(data)`; events are deduplicated by their identity
   * (kind, post and time), never by the post id alone.
   *
   * @example
   * ```ts
   * for await (const { data } of client.tweetsCompliance({ partition: 1 }, { backfill: 'auto' })) {
   *   const event = complianceEvent(data);
   *   if (event?.kind === 'delete') console.log('delete post', event.objectId);
   * }
   * ```
   */
  tweetsCompliance(
    params: ComplianceStreamParams,
    options?: StreamOptions,
  ): EndpointStream<TweetComplianceMessage> {
    return this.stream('tweets-compliance', params, options);
  }

  /**
   * The users compliance stream (`GET /2/users/compliance/stream`,
   * Enterprise; `partition` 1 to 4): protect, delete, suspend, withhold,
   * scrub_geo and profile modification events of accounts.
   */
  usersCompliance(
    params: ComplianceStreamParams,
    options?: StreamOptions,
  ): EndpointStream<UserComplianceMessage> {
    return this.stream('users-compliance', params, options);
  }

  /** The likes compliance stream (`GET /2/likes/compliance/stream`, Enterprise): unlikes. */
  likesCompliance(
    params?: EventStreamParams,
    options?: StreamOptions,
  ): EndpointStream<LikeComplianceMessage> {
    return this.stream('likes-compliance', params ?? {}, options);
  }

  /**
   * The post label stream (`GET /2/tweets/label/stream`, Enterprise): public
   * notices applied to or removed from posts, and posts made unviewable.
   */
  labels(params?: EventStreamParams, options?: StreamOptions): EndpointStream<TweetLabelMessage> {
    return this.stream('labels', params ?? {}, options);
  }

  /**
   * The X Activity stream (`GET /2/activity/stream`): events (profile
   * updates, follows, news, …) for your app's Activity subscriptions,
   * deduplicated by `event_uuid`. Manage the subscriptions with
   * `SubscriptionsClient` from `@birdstream/rules`.
   */
  activity(params?: EventStreamParams, options?: StreamOptions): EndpointStream<ActivityMessage> {
    return this.stream('activity', params ?? {}, options);
  }

  /**
   * Several partitions of one partitioned stream (firehose, sample10, the
   * language firehoses, likes, compliance) as ONE `for await` stream:
   * `partitions` is a list (`[1, 2, 3]`) or `'all'`. Each partition gets
   * its own connection, reconnects, stall watchdog and backfill; events
   * carry their `partition`; a message another partition already delivered
   * is dropped (by the stream's dedupe key). `options.dedupe` sizes or
   * turns off the cross-partition window (on by default). A partition that
   * fails for good ends the whole stream (see {@link PartitionedStream}).
   * Throws `ConfigError` before any request for a partition out of range,
   * listed twice, or an empty list.
   *
   * @example
   * ```ts
   * const compliance = client.partitions('tweets-compliance', { partitions: 'all' });
   * for await (const { data } of compliance) console.log(complianceEvent(data)?.kind);
   * ```
   */
  partitions<
    N extends PartitionedStreamName,
    const P extends Omit<StreamParamsFor<N>, 'partition'> = Omit<StreamParamsFor<N>, 'partition'>,
  >(
    endpoint: N,
    selection: PartitionSelection<N, P>,
    options?: PartitionedStreamOptions,
  ): PartitionedStream<StreamResponseFor<N, P>> {
    const row = STREAM_ENDPOINT_TABLE[
      endpoint
    ] as (typeof STREAM_ENDPOINT_TABLE)[StreamEndpointName];
    const numbers = partitionNumbers(row, selection as { partitions: readonly number[] | 'all' });
    const { on, ...streamOptions } = options ?? {};
    if ((streamOptions as { budget?: unknown }).budget !== undefined) {
      // Each partition is its own connection: a budget there would count each alone.
      throw new ConfigError(
        'budget is not supported on client.partitions(): each partition would count its own posts. Count the merged posts in your loop and break at your limit instead.',
      );
    }
    const params = selection.params ?? {};
    const streams = new Map<number, EndpointStream<StreamResponseFor<N, P>>>();
    // One start for the whole fan-in: a partition never reclaims a sibling's live connection.
    const since = this.#clock.now();
    for (const partition of numbers) {
      streams.set(
        partition,
        this.#stream(endpoint, { ...params, partition }, streamOptions, since),
      );
    }
    return new PartitionedStream({
      streams,
      dedupeKey: row.dedupeKey,
      dedupe: resolveDedupe(streamOptions.dedupe ?? true),
      clock: this.#clock,
      on,
    });
  }

  /**
   * A self-healing stream of any endpoint with the response type of your
   * choice (the typed methods above call this). Messages are deduplicated
   * (when dedupe is on) by the endpoint row's `dedupeKey`.
   */
  stream<R = StreamResponse>(
    endpoint: StreamEndpointName,
    params: object,
    options?: StreamOptions,
  ): EndpointStream<R> {
    return this.#stream(endpoint, params, options, undefined);
  }

  #stream<R>(
    endpoint: StreamEndpointName,
    params: object,
    options: StreamOptions | undefined,
    since: number | undefined,
  ): EndpointStream<R> {
    checkEndpoint(endpoint, params);
    const p = params as FilteredStreamParams;
    const recovery = p.start_time !== undefined || p.end_time !== undefined;
    const replays = recovery || (p.backfill_minutes !== undefined && p.backfill_minutes > 0);
    const resolved = resolveStreamOptions(options, replays);
    return new EndpointStream<R>({
      clock: this.#clock,
      options: resolved,
      recovery,
      // The one place a stream learns its message identity: the endpoint row.
      dedupeKey: STREAM_ENDPOINT_TABLE[endpoint].dedupeKey,
      urlFor: (backfillMinutes) => this.streamUrl(endpoint, params, backfillMinutes),
      reclaim:
        resolved.reclaim === undefined
          ? undefined
          : this.#reclaimContext(endpoint, resolved.reclaim, since),
      connect: (connectOptions) => this.connect<unknown>(endpoint, params, connectOptions),
      connectWindow: (startTime, endTime, connectOptions) => {
        // A recovery replays its window: no backfill of its own.
        const { backfill_minutes: _, ...live } = params as { backfill_minutes?: unknown };
        return this.connect<unknown>(
          endpoint,
          { ...live, start_time: startTime, end_time: endTime },
          connectOptions,
        );
      },
    });
  }

  /**
   * The one place a stream gets what `reclaimStaleConnections` needs: the
   * endpoint's Connections API id and a `ConnectionsClient` (the caller's,
   * or one with this client's token, base URL, fetch and product token).
   */
  #reclaimContext(
    endpoint: StreamEndpointName,
    settings: ReclaimSettings,
    since: number | undefined,
  ): ReclaimContext {
    const row: StreamEndpointInfo = STREAM_ENDPOINT_TABLE[endpoint];
    const connectionId =
      settings.endpoint ?? (row.connectionId as ConnectionEndpointId | undefined);
    if (connectionId === undefined) {
      throw new ConfigError(
        `reclaimStaleConnections is not available for the ${endpoint} stream: the Connections API has no id for it; remove the option.`,
      );
    }
    const given = settings.connections;
    return {
      connectionId,
      keep: settings.keep,
      since,
      connections: () => {
        if (given !== undefined) return given;
        this.#connections ??= new ConnectionsClient({
          bearerToken: this.#token,
          baseUrl: this.baseUrl,
          ...(this.#fetch === undefined ? {} : { fetch: this.#fetch }),
          ...(this.#productToken === undefined ? {} : { userAgent: this.#productToken }),
        });
        return this.#connections;
      },
    };
  }

  /**
   * Opens one connection: no retry, no stall watchdog, no dedupe. Resolves
   * once X answered 200; rejects with the typed `ApiError` subclass for an
   * HTTP error, `ConnectionError` for a network failure or a connect
   * timeout, `AbortedError` when `signal` aborts. The request goes to
   * `streamUrl(endpoint, params, options.backfillMinutes)`.
   * `@birdstream/rx` builds its Observables on this.
   *
   * @example
   * ```ts
   * const connection = await client.connect('sample', {}, { validate: 'off' });
   * for await (const message of connection) {
   *   if (message.type === 'response') console.log(message.response);
   * }
   * ```
   */
  async connect<R = StreamResponse>(
    endpoint: StreamEndpointName,
    params: object,
    options: ConnectOptions = {},
  ): Promise<StreamConnection<R>> {
    const url = this.streamUrl(endpoint, params, options.backfillMinutes);
    // A proxy or server may echo the Authorization header: every error,
    // problem and invalid line from here on is scrubbed of the token.
    let connection: StreamConnection<R>;
    try {
      connection = await openConnection<R>(
        {
          url,
          label: endpointLabel(endpoint),
          schema: STREAM_ENDPOINT_TABLE[endpoint].schema,
          headers: {
            authorization: `Bearer ${this.#token}`,
            'user-agent': this.#userAgent,
            'accept-encoding': this.#acceptEncoding,
          },
          transport: this.#transport,
          clock: this.#clock,
          connectTimeoutMs: this.#connectTimeoutMs,
          scrubber: this.#scrubber,
        },
        options,
      );
    } catch (error) {
      throw this.#scrubber.scrubError(error);
    }
    return connection;
  }

  /**
   * The URL `connect()` requests for `endpoint` and `params`: the base URL,
   * the endpoint's path and the serialised parameters (lists joined by
   * commas, duplicates and empty values dropped), with `backfill_minutes`
   * replaced when `backfillMinutes` is given. `connect()` and the streams
   * build their URL here, so it is exactly what goes on the wire; the token
   * is sent in a header and never appears in it. Use it to log or announce
   * a connection before making it (`@birdstream/rx` does, for its
   * `connecting` event).
   *
   * Throws `ConfigError` for an unknown endpoint, a missing or out-of-range
   * `partition` (sample10, firehose), or a `backfillMinutes` other than a
   * whole number from 0 to 5, as `connect()` does.
   *
   * @param backfillMinutes `backfill_minutes` to send instead of the one in
   * `params` (0–5); when omitted, `params` decide.
   * @example
   * ```ts
   * client.streamUrl('filter', { 'tweet.fields': ['created_at', 'lang'] }, 2);
   * // 'https://api.x.com/2/tweets/search/stream?tweet.fields=created_at,lang&backfill_minutes=2'
   * ```
   */
  streamUrl(endpoint: StreamEndpointName, params: object, backfillMinutes?: number): string {
    checkEndpoint(endpoint, params);
    if (
      backfillMinutes !== undefined &&
      (!Number.isInteger(backfillMinutes) || backfillMinutes < 0 || backfillMinutes > 5)
    ) {
      throw new ConfigError(
        `backfillMinutes must be a whole number from 0 to 5, got ${backfillMinutes}.`,
      );
    }
    return buildStreamUrl(this.baseUrl, endpoint, params, backfillMinutes);
  }

  /** Serialises without credentials. */
  toJSON(): Record<string, unknown> {
    return { baseUrl: this.baseUrl };
  }
}
