import type {
  FirehoseLanguage,
  StreamEndpointInfo,
  StreamEndpointName,
  StreamRow,
} from '../endpoints/endpoint-table.js';
import type { LIKE_FIELDS, POST_FIELDS } from '../endpoints/fields.js';

/**
 * Each stream's query parameters, derived from its row of the endpoint table:
 * its list parameters (`fields`, each value list checked against X's),
 * `backfill_minutes` (`backfill`), a `start_time`/`end_time` window
 * (`recovery`) and a required `partition` (`partitions`). A new row gets its
 * parameter type with no edit here.
 */

/** Flattens an intersection into one object type (readable hovers, JSDoc kept). */
type Flat<T> = { [K in keyof T]: T[K] } & {};

/** List parameters typed from their allowed values: `{ 'tweet.fields'?: readonly TweetField[]; … }`. */
export type FieldParamsOf<Fields> = {
  -readonly [K in keyof Fields]?: Fields[K] extends readonly (infer Value)[]
    ? readonly Value[]
    : never;
};

/** The post streams' field and expansion parameters, by the API's own names. Unknown values are a type error. */
export type FieldParams = FieldParamsOf<typeof POST_FIELDS>;

/** The likes streams' field and expansion parameters. Unknown values are a type error. */
export type LikeFieldParams = FieldParamsOf<typeof LIKE_FIELDS>;

/** Minutes of missed messages to redeliver on connect (Enterprise). X accepts 0 to 5. */
export type BackfillMinutes = 0 | 1 | 2 | 3 | 4 | 5;

/** `backfill_minutes`, on streams whose row has `backfill`. */
export interface BackfillParams {
  /** Minutes of missed messages X redelivers on connect (0 to 5). @default none */
  backfill_minutes?: BackfillMinutes;
}

/** Recovery window (Enterprise): RFC 3339 UTC timestamps within the last 24 h, on streams whose row has `recovery`. */
export interface RecoveryParams {
  /** Replay from this time: `YYYY-MM-DDTHH:mm:ssZ`. @default none (live) */
  start_time?: string;
  /** Replay up to this time (the connection then ends): `YYYY-MM-DDTHH:mm:ssZ`. @default now (then live) */
  end_time?: string;
}

/** The whole numbers from 1 to `Max` as a union (`PartitionRange<4>` is `1 | 2 | 3 | 4`). */
export type PartitionRange<Max extends number, Acc extends number[] = [1]> = number extends Max
  ? number
  : Acc['length'] extends Max
    ? Acc[number] | Max
    : PartitionRange<Max, [...Acc, [...Acc, 1]['length'] & number]>;

/** The parameters a row accepts. */
export type RowParams<Row extends StreamEndpointInfo> = Flat<
  FieldParamsOf<Row['fields']> &
    (Row['backfill'] extends true ? BackfillParams : {}) &
    (Row['recovery'] extends true ? RecoveryParams : {}) &
    (Row extends { partitions: { max: infer Max extends number } }
      ? {
          /** The partition to read, from 1 to the stream's maximum. */ partition: PartitionRange<Max>;
        }
      : {})
>;

/** The parameters of the stream named `N` (a union of names gives the union of their parameters). */
export type StreamParamsFor<N extends StreamEndpointName> = N extends StreamEndpointName
  ? RowParams<StreamRow<N>>
  : never;

/** Any stream's parameters. */
export type AnyStreamParams = StreamParamsFor<StreamEndpointName>;

/** `GET /2/tweets/search/stream`: field parameters, backfill and a recovery window. */
export type FilteredStreamParams = StreamParamsFor<'filter'>;

/** `GET /2/tweets/sample/stream` (about 1 % of all posts): field parameters and backfill. */
export type SampleStreamParams = StreamParamsFor<'sample'>;

/** `GET /2/tweets/sample10/stream` (10 %, Enterprise): `partition` 1 or 2. */
export type Sample10StreamParams = StreamParamsFor<'sample10'>;

/** `GET /2/tweets/firehose/stream` (Enterprise): `partition` 1 to 20. */
export type FirehoseStreamParams = StreamParamsFor<'firehose'>;

/** The name of the language firehose of `Lang` (`'firehose-en'`). */
export type LanguageFirehoseName<Lang extends FirehoseLanguage> = {
  [N in StreamEndpointName]: StreamRow<N> extends { language: Lang } ? N : never;
}[StreamEndpointName];

/** `GET /2/tweets/firehose/stream/lang/{lang}` (Enterprise): `partition` 1 to 8 for `en`, 1 or 2 for the others. */
export type LanguageFirehoseParams<Lang extends FirehoseLanguage = FirehoseLanguage> =
  StreamParamsFor<LanguageFirehoseName<Lang>>;

/** `GET /2/likes/firehose/stream` (Enterprise): likes field parameters, `partition` 1 to 20. */
export type LikesFirehoseParams = StreamParamsFor<'likes-firehose'>;

/** `GET /2/likes/sample10/stream` (Enterprise): likes field parameters, `partition` 1 or 2. */
export type LikesSample10Params = StreamParamsFor<'likes-sample10'>;

/** `GET /2/tweets/compliance/stream` and `GET /2/users/compliance/stream`: `partition` 1 to 4, no field parameters. */
export type ComplianceStreamParams = StreamParamsFor<'tweets-compliance' | 'users-compliance'>;

/** The event streams without field parameters (likes compliance, labels, Activity): backfill and a recovery window. */
export type EventStreamParams = StreamParamsFor<'likes-compliance' | 'labels' | 'activity'>;

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

export type { FirehoseLanguage, StreamEndpointName } from '../endpoints/endpoint-table.js';
