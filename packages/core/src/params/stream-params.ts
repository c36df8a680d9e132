import { STREAM_ENDPOINT_TABLE, type StreamEndpointName } from '../endpoints/endpoint-table.js';
import type {
  Expansion,
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
export type FirehosePartition =
  | 1
  | 2
  | 3
  | 4
  | 5
  | 6
  | 7
  | 8
  | 9
  | 10
  | 11
  | 12
  | 13
  | 14
  | 15
  | 16
  | 17
  | 18
  | 19
  | 20;

/** `GET /2/tweets/firehose/stream` (Enterprise). */
export interface FirehoseStreamParams extends FieldParams, RecoveryParams {
  partition: FirehosePartition;
  backfill_minutes?: BackfillMinutes;
}

/** Any stream's parameters. */
export type AnyStreamParams =
  | FilteredStreamParams
  | SampleStreamParams
  | Sample10StreamParams
  | FirehoseStreamParams;

/** The stream endpoints birdstream connects to, by path (derived from the endpoint table). */
export const STREAM_ENDPOINTS = Object.fromEntries(
  Object.values(STREAM_ENDPOINT_TABLE).map((row) => [row.name, row.path]),
) as { readonly [N in StreamEndpointName]: (typeof STREAM_ENDPOINT_TABLE)[N]['path'] };
export type { StreamEndpointName };
