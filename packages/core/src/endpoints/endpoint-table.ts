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
import { LIKE_FIELDS, POST_FIELDS } from './fields.js';

/**
 * Everything birdstream knows about one X v2 stream endpoint. This table is
 * the only place that lists streams: the clients, the rx sources, the CLI's
 * `--endpoint` flag and the emulator's routes read it at run time, and the
 * parameter and response types (`StreamParamsFor`, `StreamResponseFor`) are
 * derived from its rows, so adding a stream is one row here (plus its schema
 * when it carries a new kind of message) and its tests.
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
  /**
   * The kind of messages it carries (`posts`, `likes`, `tweet-compliance`,
   * …): streams of one family share their message type and dedupe key. Post
   * and likes messages are typed by the requested fields; any other family
   * yields its `schema`'s type.
   */
  readonly family: string;
  /** The language of a language firehose (`en`); absent on every other stream. */
  readonly language?: string;
  /** When present, a `partition` from 1 to `max` is required. */
  readonly partitions?: { readonly max: number };
  /** What selects the stream's content: filtered-stream rules, Activity subscriptions, or nothing. */
  readonly selection: 'rules' | 'subscriptions' | 'none';
  /**
   * The list parameters X accepts on this path, each with the values it
   * accepts (`POST_FIELDS`, `LIKE_FIELDS`, or `{}`).
   */
  readonly fields: { readonly [param: string]: readonly string[] };
  /** Whether a `start_time`/`end_time` recovery window is accepted (Enterprise). */
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
    language: lang,
    partitions: { max },
    selection: 'none',
    fields: POST_FIELDS,
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
    fields: POST_FIELDS,
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
    fields: POST_FIELDS,
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
    fields: POST_FIELDS,
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
    fields: POST_FIELDS,
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
    fields: LIKE_FIELDS,
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
    fields: LIKE_FIELDS,
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
    fields: {},
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
    fields: {},
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
    fields: {},
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
    fields: {},
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
    fields: {},
    recovery: true,
    backfill: true,
    schema: ActivityStreamResponse,
    dedupeKey: activityKey,
  },
} as const satisfies Record<string, StreamEndpointInfo>;

/** A stream's name in the endpoint table. */
export type StreamEndpointName = keyof typeof STREAM_ENDPOINT_TABLE;

/** The row of the stream named `N`, with its literal facts (`StreamRow<'firehose'>['partitions']['max']` is `20`). */
export type StreamRow<N extends StreamEndpointName> = (typeof STREAM_ENDPOINT_TABLE)[N];

/** Which kind of messages a stream carries: the `family` of the table's rows. */
export type StreamFamily = StreamRow<StreamEndpointName>['family'];

/** The languages of the language firehoses: the `language` of the table's rows (`'en' | 'ja' | …`). */
export type FirehoseLanguage =
  StreamRow<StreamEndpointName> extends infer Row
    ? Row extends { language: infer Lang extends string }
      ? Lang
      : never
    : never;

/** Every stream's name, in table order. */
export const STREAM_ENDPOINT_NAMES = Object.keys(STREAM_ENDPOINT_TABLE) as StreamEndpointName[];

/** The languages of the language firehoses, in table order. */
export const FIREHOSE_LANGUAGES: readonly FirehoseLanguage[] = Object.values(
  STREAM_ENDPOINT_TABLE as Record<string, StreamEndpointInfo>,
).flatMap((row) => (row.language === undefined ? [] : [row.language as FirehoseLanguage]));

/**
 * The query parameters X accepts on a row's path besides `partition`: its
 * list parameters (`fields`), `backfill_minutes` when it has `backfill`, and
 * `start_time`/`end_time` when it has `recovery`.
 */
export function acceptedParams(row: StreamEndpointInfo): string[] {
  return [
    ...Object.keys(row.fields),
    ...(row.backfill ? ['backfill_minutes'] : []),
    ...(row.recovery ? ['start_time', 'end_time'] : []),
  ];
}

/** The row of `name`, or `undefined` for a name not in the table. */
export function findStreamEndpoint(name: string): StreamEndpointInfo | undefined {
  return Object.hasOwn(STREAM_ENDPOINT_TABLE, name)
    ? STREAM_ENDPOINT_TABLE[name as StreamEndpointName]
    : undefined;
}
