import type { z } from 'zod';
import { SampleStreamResponse, StreamResponse } from '../schemas/stream-response.js';

/** Which kind of messages a stream carries (decides payload types and the dedupe key). */
export type StreamFamily =
  | 'posts'
  | 'likes'
  | 'tweet-compliance'
  | 'user-compliance'
  | 'like-compliance'
  | 'labels'
  | 'activity';

/** The six field/expansion parameters of the post streams. */
const POST_FIELD_PARAMS = [
  'expansions',
  'tweet.fields',
  'user.fields',
  'media.fields',
  'place.fields',
  'poll.fields',
] as const;

/**
 * Everything birdstream knows about one X v2 stream endpoint. This table is
 * the only place that lists streams: the clients, the rx sources, the CLI's
 * `--endpoint` flag and the emulator's routes all read it, so adding a
 * stream is one row here plus its schema and tests.
 */
export interface StreamEndpointInfo {
  /** birdstream's name for the stream (the CLI's `--endpoint` value). */
  readonly name: string;
  /** The request path. */
  readonly path: string;
  /** A human name for messages (`filtered stream`). */
  readonly label: string;
  /** The Connections API `endpoint_id` (`filtered_stream`); absent where X defines none. */
  readonly connectionId?: string;
  /** The kind of messages it carries. */
  readonly family: StreamFamily;
  /** When present, a `partition` from 1 to `max` is required. */
  readonly partitions?: { readonly max: number };
  /** What selects the stream's content: filtered-stream rules, Activity subscriptions, or nothing. */
  readonly selection: 'rules' | 'subscriptions' | 'none';
  /** Query parameters X accepts on this path (besides `partition`). */
  readonly params: readonly string[];
  /** Whether `start_time`/`end_time` recovery is accepted (Enterprise). */
  readonly recovery: boolean;
  /** Whether `backfill_minutes` is accepted (Enterprise). */
  readonly backfill: boolean;
  /** The zod schema one message must match with `validate: 'strict'`. */
  readonly schema: z.ZodType;
  /**
   * The identity of one message for deduplication (a redelivered message has
   * the same key), or `undefined` for a message that carries no item (an
   * error-only message).
   */
  readonly dedupeKey: (message: unknown) => string | undefined;
}

/** The id of a post message's `data` (post streams). */
function postId(message: unknown): string | undefined {
  const id = (message as { data?: { id?: unknown } } | undefined)?.data?.id;
  return typeof id === 'string' ? id : undefined;
}

/** The endpoint table: one row per stream. */
export const STREAM_ENDPOINT_TABLE = {
  filter: {
    name: 'filter',
    path: '/2/tweets/search/stream',
    label: 'filtered stream',
    connectionId: 'filtered_stream',
    family: 'posts',
    selection: 'rules',
    params: [...POST_FIELD_PARAMS, 'backfill_minutes', 'start_time', 'end_time'],
    recovery: true,
    backfill: true,
    schema: StreamResponse,
    dedupeKey: postId,
  },
  sample: {
    name: 'sample',
    path: '/2/tweets/sample/stream',
    label: 'sample stream',
    connectionId: 'sample_stream',
    family: 'posts',
    selection: 'none',
    params: [...POST_FIELD_PARAMS, 'backfill_minutes'],
    recovery: false,
    backfill: true,
    schema: SampleStreamResponse,
    dedupeKey: postId,
  },
  sample10: {
    name: 'sample10',
    path: '/2/tweets/sample10/stream',
    label: 'sample10 stream',
    connectionId: 'sample10_stream',
    family: 'posts',
    partitions: { max: 2 },
    selection: 'none',
    params: [...POST_FIELD_PARAMS, 'backfill_minutes', 'start_time', 'end_time'],
    recovery: true,
    backfill: true,
    schema: SampleStreamResponse,
    dedupeKey: postId,
  },
  firehose: {
    name: 'firehose',
    path: '/2/tweets/firehose/stream',
    label: 'firehose stream',
    connectionId: 'firehose_stream',
    family: 'posts',
    partitions: { max: 20 },
    selection: 'none',
    params: [...POST_FIELD_PARAMS, 'backfill_minutes', 'start_time', 'end_time'],
    recovery: true,
    backfill: true,
    schema: SampleStreamResponse,
    dedupeKey: postId,
  },
} as const satisfies Record<string, StreamEndpointInfo>;

/** A stream's name in the endpoint table. */
export type StreamEndpointName = keyof typeof STREAM_ENDPOINT_TABLE;

/** Every stream's name, in table order. */
export const STREAM_ENDPOINT_NAMES = Object.keys(STREAM_ENDPOINT_TABLE) as StreamEndpointName[];

/** The row of `name`, or `undefined` for a name not in the table. */
export function findStreamEndpoint(name: string): StreamEndpointInfo | undefined {
  return Object.hasOwn(STREAM_ENDPOINT_TABLE, name)
    ? STREAM_ENDPOINT_TABLE[name as StreamEndpointName]
    : undefined;
}
