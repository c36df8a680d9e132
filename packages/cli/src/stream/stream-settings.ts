import {
  isConfigError,
  resolvePartitions,
  STREAM_ENDPOINT_NAMES,
  STREAM_ENDPOINT_TABLE,
  type StreamEndpointInfo,
  type StreamEndpointName,
} from '@birdstream/core';
import { findStreamEndpoint } from '@birdstream/core/internal';
import { flag, type ParsedValues, stringOption } from '../cli/args.js';
import { UsageError } from '../cli/usage-error.js';
import { parseDuration, parseInteger, parseList } from '../cli/values.js';

const NAME = 'stream';

/** Default `--connect-attempts`: failed attempts before a stream that never connected gives up. */
export const DEFAULT_CONNECT_ATTEMPTS = 10;
/** Default `--connect-timeout-total` (2 min). */
export const DEFAULT_CONNECT_TIMEOUT_TOTAL_MS = 120_000;

/**
 * The field flags and the query parameter each sets. A flag is accepted only
 * on a stream whose row in the endpoint table lists its parameter in
 * `fields`, with the values listed there (likes streams take their own
 * expansions).
 */
export const FIELD_FLAGS: readonly { flag: string; param: string }[] = [
  { flag: 'expansions', param: 'expansions' },
  { flag: 'tweet-fields', param: 'tweet.fields' },
  { flag: 'user-fields', param: 'user.fields' },
  { flag: 'media-fields', param: 'media.fields' },
  { flag: 'place-fields', param: 'place.fields' },
  { flag: 'poll-fields', param: 'poll.fields' },
  { flag: 'like-fields', param: 'like_with_tweet_author.fields' },
];

/** The `--endpoint` values with their partition ranges, for help text: `firehose (partitions 1-20)`. */
export function endpointChoices(): string {
  return STREAM_ENDPOINT_NAMES.map((name) => {
    const row: StreamEndpointInfo = STREAM_ENDPOINT_TABLE[name];
    const max = row.partitions?.max;
    return max === undefined ? name : `${name} (1-${max})`;
  }).join(', ');
}

/** The stream settings read from the command line. */
export interface StreamSettings {
  /** The stream (a name of core's endpoint table). */
  endpoint: StreamEndpointName;
  /** The partitions to open: one (a single stream) or several (fan-in); empty for an unpartitioned stream. */
  partitions: number[];
  /** The query parameters (without `partition`). */
  params: Record<string, unknown>;
  backfill: 'auto' | undefined;
  maxRetries: number | undefined;
  /** `--proxy`: the proxy URL for the stream (else the environment's, see `resolveProxy`). */
  proxy: string | undefined;
  /** `--connect-attempts`: failed attempts before a stream that never connected gives up. */
  connectAttempts: number;
  /** `--connect-timeout-total`: time before a stream that never connected gives up, ms. */
  connectTimeoutTotalMs: number;
  output: string | undefined;
  append: boolean;
  limit: number | undefined;
  /** `--max-posts`: a budget for this run (core's `budget`, period `'run'`). */
  maxPosts: number | undefined;
  durationMs: number | undefined;
  flatten: boolean;
  quiet: boolean;
  progressIntervalMs: number;
}

/** Reads and checks every flag of `birdstream stream`; unknown field names are usage errors. */
export function readStreamSettings(values: ParsedValues): StreamSettings {
  const endpoint = readEndpoint(values);
  const row: StreamEndpointInfo = STREAM_ENDPOINT_TABLE[endpoint];
  const partitions = readPartitions(stringOption(values, 'partition'), row);
  const params: Record<string, unknown> = {};
  for (const { flag: name, param } of FIELD_FLAGS) {
    const text = stringOption(values, name);
    if (text === undefined) continue;
    const allowed = row.fields[param];
    if (allowed === undefined) {
      throw new UsageError(
        `--${name} does not apply to the ${row.label}; it takes ${describeParams(row)}.`,
        NAME,
      );
    }
    params[param] = parseList(text, allowed, `--${name}`, NAME);
  }
  if (flag(values, 'flatten') && row.family !== 'posts') {
    throw new UsageError(`--flatten applies to post streams only, not the ${row.label}.`, NAME);
  }

  let backfill: 'auto' | undefined;
  const backfillText = stringOption(values, 'backfill');
  if (backfillText !== undefined) {
    if (!row.backfill) {
      throw new UsageError(`The ${row.label} has no backfill; leave out --backfill.`, NAME);
    }
    if (backfillText.trim().toLowerCase() === 'auto') backfill = 'auto';
    else {
      params.backfill_minutes = parseInteger(backfillText, '--backfill', NAME, 1, 5) as
        | 1
        | 2
        | 3
        | 4
        | 5;
    }
  }
  const limitText = stringOption(values, 'limit');
  const maxPostsText = stringOption(values, 'max-posts');
  if (maxPostsText !== undefined && partitions.length > 1) {
    throw new UsageError(
      '--max-posts counts the posts of one connection; with several partitions use --limit.',
      NAME,
    );
  }
  const durationText = stringOption(values, 'duration');
  const retriesText = stringOption(values, 'max-retries');
  const intervalText = stringOption(values, 'progress-interval');
  const attemptsText = stringOption(values, 'connect-attempts');
  const totalText = stringOption(values, 'connect-timeout-total');
  const output = stringOption(values, 'output');
  const append = flag(values, 'append');
  if (append && output === undefined) {
    throw new UsageError('--append needs --output <file>.', NAME);
  }
  return {
    endpoint,
    partitions,
    params,
    backfill,
    maxRetries:
      retriesText === undefined ? undefined : parseInteger(retriesText, '--max-retries', NAME, 0),
    proxy: stringOption(values, 'proxy'),
    connectAttempts:
      attemptsText === undefined
        ? DEFAULT_CONNECT_ATTEMPTS
        : parseInteger(attemptsText, '--connect-attempts', NAME, 1),
    connectTimeoutTotalMs:
      totalText === undefined
        ? DEFAULT_CONNECT_TIMEOUT_TOTAL_MS
        : parseDuration(totalText, '--connect-timeout-total', NAME),
    output,
    append,
    limit: limitText === undefined ? undefined : parseInteger(limitText, '--limit', NAME, 1),
    maxPosts:
      maxPostsText === undefined ? undefined : parseInteger(maxPostsText, '--max-posts', NAME, 1),
    durationMs:
      durationText === undefined ? undefined : parseDuration(durationText, '--duration', NAME),
    flatten: flag(values, 'flatten'),
    quiet: flag(values, 'quiet'),
    progressIntervalMs:
      intervalText === undefined
        ? 30_000
        : parseDuration(intervalText, '--progress-interval', NAME),
  };
}

/** `--endpoint` (default `filter`), or `--sample` for `--endpoint sample`. */
function readEndpoint(values: ParsedValues): StreamEndpointName {
  const text = stringOption(values, 'endpoint');
  const sample = flag(values, 'sample');
  if (text === undefined) return sample ? 'sample' : 'filter';
  const name = text.trim();
  if (findStreamEndpoint(name) === undefined) {
    throw new UsageError(
      `--endpoint must be one of ${STREAM_ENDPOINT_NAMES.join(', ')}; got '${text}'.`,
      NAME,
    );
  }
  if (sample && name !== 'sample') {
    throw new UsageError(`--sample means --endpoint sample; leave out one of them.`, NAME);
  }
  return name as StreamEndpointName;
}

/**
 * `--partition N`, `A-B` or `all`, checked against the row by core (the
 * same check as `client.partitions()`); required on a partitioned stream,
 * refused on the others.
 */
function readPartitions(text: string | undefined, row: StreamEndpointInfo): number[] {
  const max = row.partitions?.max;
  if (max === undefined) {
    if (text !== undefined) {
      throw new UsageError(`The ${row.label} has no partitions; leave out --partition.`, NAME);
    }
    return [];
  }
  if (text === undefined) {
    throw new UsageError(
      `The ${row.label} needs --partition: a number from 1 to ${max}, a range such as 1-${max}, or all.`,
      NAME,
    );
  }
  const trimmed = text.trim().toLowerCase();
  const range = /^(\d+)\s*-\s*(\d+)$/.exec(trimmed);
  let partitions: readonly number[] | 'all';
  if (trimmed === 'all') partitions = 'all';
  else if (range) {
    const from = Number(range[1]);
    const to = Number(range[2]);
    if (from > to) {
      throw new UsageError(`--partition ${text}: the range must go up, such as 1-${max}.`, NAME);
    }
    partitions = Array.from({ length: to - from + 1 }, (_, i) => from + i);
  } else if (/^\d+$/.test(trimmed)) partitions = [Number(trimmed)];
  else {
    throw new UsageError(
      `--partition must be a number, a range such as 1-${max}, or all; got '${text}'.`,
      NAME,
    );
  }
  try {
    return resolvePartitions(row.name, { partitions });
  } catch (error) {
    if (isConfigError(error)) throw new UsageError(`--partition ${text}: ${error.message}`, NAME);
    throw error;
  }
}

/** The field flags a row takes, for messages (`--expansions, --tweet-fields, …`). */
function describeParams(row: StreamEndpointInfo): string {
  const flags = FIELD_FLAGS.filter((f) => f.param in row.fields).map((f) => `--${f.flag}`);
  return flags.length > 0 ? flags.join(', ') : 'no field flags';
}
