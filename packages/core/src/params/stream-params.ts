import { STREAM_ENDPOINT_TABLE, type StreamEndpointName } from '../endpoints/endpoint-table.js';
import type {
  Expansion,
  LikeExpansion,
  LikeWithTweetAuthorField,
  MediaField,
  PlaceField,
  PollField,
  TweetField,
  UserField,
} from './fields.js';

/** Field and expansion parameters, by the API's own names. Unknown values are a type error. */
export interface FieldParams {
  expansions?: readonly Expansion[];
  'tweet.fields'?: readonly TweetField[];
  'user.fields'?: readonly UserField[];
  'media.fields'?: readonly MediaField[];
  'place.fields'?: readonly PlaceField[];
  'poll.fields'?: readonly PollField[];
}

/** Minutes of missed posts to redeliver on connect (Enterprise). X accepts 0 to 5. */
export type BackfillMinutes = 0 | 1 | 2 | 3 | 4 | 5;

/** Recovery window (Enterprise): RFC 3339 UTC timestamps within the last 24 h. */
export interface RecoveryParams {
  /** `YYYY-MM-DDTHH:mm:ssZ` */
  start_time?: string;
  /** `YYYY-MM-DDTHH:mm:ssZ` */
  end_time?: string;
}

/** `GET /2/tweets/search/stream` */
export interface FilteredStreamParams extends FieldParams, RecoveryParams {
  backfill_minutes?: BackfillMinutes;
}

/** `GET /2/tweets/sample/stream` (about 1 % of all posts). */
export interface SampleStreamParams extends FieldParams {
  backfill_minutes?: BackfillMinutes;
}

/** `GET /2/tweets/sample10/stream` (10 %, Enterprise). */
export interface Sample10StreamParams extends FieldParams, RecoveryParams {
  partition: 1 | 2;
  backfill_minutes?: BackfillMinutes;
}

/** Partitions of the firehose: each connection carries one share of the feed. */
export type FirehosePartition = PartitionRange<20>;

/** `GET /2/tweets/firehose/stream` (Enterprise). */
export interface FirehoseStreamParams extends FieldParams, RecoveryParams {
  partition: FirehosePartition;
  backfill_minutes?: BackfillMinutes;
}

/** The whole numbers from 1 to `Max` as a union (`PartitionRange<4>` is `1 | 2 | 3 | 4`). */
export type PartitionRange<
  Max extends number,
  Acc extends number[] = [1],
> = Acc['length'] extends Max
  ? Acc[number] | Max
  : PartitionRange<Max, [...Acc, [...Acc, 1]['length'] & number]>;

/** The four language firehoses. */
export type FirehoseLanguage = 'en' | 'ja' | 'ko' | 'pt';

/** Partitions of a language firehose: 1–8 for English, 1–2 for the others. */
export type LanguageFirehosePartition<Lang extends FirehoseLanguage> = Lang extends 'en'
  ? PartitionRange<8>
  : 1 | 2;

/** `GET /2/tweets/firehose/stream/lang/{lang}` (Enterprise). */
export interface LanguageFirehoseParams<Lang extends FirehoseLanguage = FirehoseLanguage>
  extends FieldParams,
    RecoveryParams {
  partition: LanguageFirehosePartition<Lang>;
  backfill_minutes?: BackfillMinutes;
}

/** Field and expansion parameters of the likes streams. Unknown values are a type error. */
export interface LikeFieldParams {
  'like_with_tweet_author.fields'?: readonly LikeWithTweetAuthorField[];
  /** `liked_tweet_id` puts the liked posts in `includes.tweets`, `liked_tweet_author_id` their authors in `includes.users`. */
  expansions?: readonly LikeExpansion[];
  'tweet.fields'?: readonly TweetField[];
  'user.fields'?: readonly UserField[];
}

/** `GET /2/likes/firehose/stream` (Enterprise): partition 1 to 20. */
export interface LikesFirehoseParams extends LikeFieldParams, RecoveryParams {
  partition: PartitionRange<20>;
  backfill_minutes?: BackfillMinutes;
}

/** `GET /2/likes/sample10/stream` (Enterprise): partition 1 or 2. */
export interface LikesSample10Params extends LikeFieldParams, RecoveryParams {
  partition: 1 | 2;
  backfill_minutes?: BackfillMinutes;
}

/**
 * The event streams without field parameters: likes compliance, labels and
 * Activity (`backfill_minutes` and a recovery window only).
 */
export interface EventStreamParams extends RecoveryParams {
  backfill_minutes?: BackfillMinutes;
}

/** `GET /2/tweets/compliance/stream` and `GET /2/users/compliance/stream`: partition 1 to 4, no field parameters. */
export interface ComplianceStreamParams extends EventStreamParams {
  partition: PartitionRange<4>;
}

/** Each stream's parameters, by its name in the endpoint table. */
export interface StreamParamsByEndpoint {
  filter: FilteredStreamParams;
  sample: SampleStreamParams;
  sample10: Sample10StreamParams;
  firehose: FirehoseStreamParams;
  'firehose-en': LanguageFirehoseParams<'en'>;
  'firehose-ja': LanguageFirehoseParams<'ja'>;
  'firehose-ko': LanguageFirehoseParams<'ko'>;
  'firehose-pt': LanguageFirehoseParams<'pt'>;
  'likes-firehose': LikesFirehoseParams;
  'likes-sample10': LikesSample10Params;
  'tweets-compliance': ComplianceStreamParams;
  'users-compliance': ComplianceStreamParams;
  'likes-compliance': EventStreamParams;
  labels: EventStreamParams;
  activity: EventStreamParams;
}

/** The parameters of the stream named `N`. */
export type StreamParamsFor<N extends StreamEndpointName> = StreamParamsByEndpoint[N];

/** Any stream's parameters. */
export type AnyStreamParams = StreamParamsByEndpoint[StreamEndpointName];

/**
 * Returns `params` unchanged, typed as the literal you wrote, so parameters
 * kept in a variable keep narrowing the response type when you pass them to
 * `client.filter()` (or any stream method) later. Without it, a variable's
 * lists widen to `TweetField[]` and narrow nothing; `satisfies
 * FilteredStreamParams` alone widens them too. `as const satisfies
 * FilteredStreamParams` is the equivalent without a call.
 *
 * @example
 * ```ts
 * const params = streamParams({ 'tweet.fields': ['created_at'], expansions: ['author_id'] });
 * for await (const { data, includes } of client.filter(params)) {
 *   console.log(data.created_at, includes.users[0]?.username);
 * }
 * ```
 */
export function streamParams<const P extends AnyStreamParams>(params: P): P {
  return params;
}

/** The stream endpoints birdstream connects to, by path (derived from the endpoint table). */
export const STREAM_ENDPOINTS = Object.fromEntries(
  Object.values(STREAM_ENDPOINT_TABLE).map((row) => [row.name, row.path]),
) as { readonly [N in StreamEndpointName]: (typeof STREAM_ENDPOINT_TABLE)[N]['path'] };
export type { StreamEndpointName };
