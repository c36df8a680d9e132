import type { z } from 'zod';
import { ActivityStreamResponse } from '../schemas/activity.js';
import {
  LikeComplianceStreamResponse,
  TweetComplianceStreamResponse,
  UserComplianceStreamResponse,
} from '../schemas/compliance.js';
import { TweetLabelStreamResponse } from '../schemas/labels.js';
import { LikeStreamResponse } from '../schemas/likes.js';
import { SampleStreamResponse, StreamResponse } from '../schemas/stream-response.js';
import { activityKey, complianceKey, labelKey, likeKey, postKey } from './dedupe-keys.js';

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

/** The field/expansion parameters of the likes streams. */
const LIKE_FIELD_PARAMS = [
  'like_with_tweet_author.fields',
  'expansions',
  'user.fields',
  'tweet.fields',
] as const;

/** Enterprise replay parameters: backfill and a recovery window. */
const REPLAY_PARAMS = ['backfill_minutes', 'start_time', 'end_time'] as const;

/** A language firehose row (`/2/tweets/firehose/stream/lang/{lang}`). */
function languageFirehose<const Lang extends string, const Max extends number>(
  lang: Lang,
  max: Max,
) {
  return {
    name: `firehose-${lang}`,
    path: `/2/tweets/firehose/stream/lang/${lang}`,
    label: `${lang} firehose stream`,
    connectionId: `firehose_stream_lang_${lang}`,
    family: 'posts',
    partitions: { max },
    selection: 'none',
    params: [...POST_FIELD_PARAMS, ...REPLAY_PARAMS],
    recovery: true,
    backfill: true,
    schema: SampleStreamResponse,
    dedupeKey: postKey,
  } as const;
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
    params: [...POST_FIELD_PARAMS, ...REPLAY_PARAMS],
    recovery: true,
    backfill: true,
    schema: StreamResponse,
    dedupeKey: postKey,
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
    dedupeKey: postKey,
  },
  sample10: {
    name: 'sample10',
    path: '/2/tweets/sample10/stream',
    label: 'sample10 stream',
    connectionId: 'sample10_stream',
    family: 'posts',
    partitions: { max: 2 },
    selection: 'none',
    params: [...POST_FIELD_PARAMS, ...REPLAY_PARAMS],
    recovery: true,
    backfill: true,
    schema: SampleStreamResponse,
    dedupeKey: postKey,
  },
  firehose: {
    name: 'firehose',
    path: '/2/tweets/firehose/stream',
    label: 'firehose stream',
    connectionId: 'firehose_stream',
    family: 'posts',
    partitions: { max: 20 },
    selection: 'none',
    params: [...POST_FIELD_PARAMS, ...REPLAY_PARAMS],
    recovery: true,
    backfill: true,
    schema: SampleStreamResponse,
    dedupeKey: postKey,
  },
  'firehose-en': languageFirehose('en', 8),
  'firehose-ja': languageFirehose('ja', 2),
  'firehose-ko': languageFirehose('ko', 2),
  'firehose-pt': languageFirehose('pt', 2),
  'likes-firehose': {
    name: 'likes-firehose',
    path: '/2/likes/firehose/stream',
    label: 'likes firehose stream',
    connectionId: 'likes_firehose_stream',
    family: 'likes',
    partitions: { max: 20 },
    selection: 'none',
    params: [...LIKE_FIELD_PARAMS, ...REPLAY_PARAMS],
    recovery: true,
    backfill: true,
    schema: LikeStreamResponse,
    dedupeKey: likeKey,
  },
  'likes-sample10': {
    name: 'likes-sample10',
    path: '/2/likes/sample10/stream',
    label: 'likes sample10 stream',
    connectionId: 'likes_sample10_stream',
    family: 'likes',
    partitions: { max: 2 },
    selection: 'none',
    params: [...LIKE_FIELD_PARAMS, ...REPLAY_PARAMS],
    recovery: true,
    backfill: true,
    schema: LikeStreamResponse,
    dedupeKey: likeKey,
  },
  'tweets-compliance': {
    name: 'tweets-compliance',
    path: '/2/tweets/compliance/stream',
    label: 'tweets compliance stream',
    connectionId: 'tweets_compliance_stream',
    family: 'tweet-compliance',
    partitions: { max: 4 },
    selection: 'none',
    params: [...REPLAY_PARAMS],
    recovery: true,
    backfill: true,
    schema: TweetComplianceStreamResponse,
    dedupeKey: complianceKey,
  },
  'users-compliance': {
    name: 'users-compliance',
    path: '/2/users/compliance/stream',
    label: 'users compliance stream',
    connectionId: 'users_compliance_stream',
    family: 'user-compliance',
    partitions: { max: 4 },
    selection: 'none',
    params: [...REPLAY_PARAMS],
    recovery: true,
    backfill: true,
    schema: UserComplianceStreamResponse,
    dedupeKey: complianceKey,
  },
  'likes-compliance': {
    name: 'likes-compliance',
    path: '/2/likes/compliance/stream',
    label: 'likes compliance stream',
    connectionId: 'likes_compliance_stream',
    family: 'like-compliance',
    selection: 'none',
    params: [...REPLAY_PARAMS],
    recovery: true,
    backfill: true,
    schema: LikeComplianceStreamResponse,
    dedupeKey: complianceKey,
  },
  labels: {
    name: 'labels',
    path: '/2/tweets/label/stream',
    label: 'tweet label stream',
    connectionId: 'tweet_label_stream',
    family: 'labels',
    selection: 'none',
    params: [...REPLAY_PARAMS],
    recovery: true,
    backfill: true,
    schema: TweetLabelStreamResponse,
    dedupeKey: labelKey,
  },
  activity: {
    name: 'activity',
    path: '/2/activity/stream',
    label: 'activity stream',
    family: 'activity',
    selection: 'subscriptions',
    params: [...REPLAY_PARAMS],
    recovery: true,
    backfill: true,
    schema: ActivityStreamResponse,
    dedupeKey: activityKey,
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
