import {
  EXPANSIONS,
  type Expansion,
  type FilteredStreamParams,
  MEDIA_FIELDS,
  type MediaField,
  PLACE_FIELDS,
  type PlaceField,
  POLL_FIELDS,
  type PollField,
  TWEET_FIELDS,
  type TweetField,
  USER_FIELDS,
  type UserField,
} from '@birdstream/core';
import { flag, type ParsedValues, stringOption } from '../cli/args.js';
import { UsageError } from '../cli/usage-error.js';
import { parseDuration, parseInteger, parseList } from '../cli/values.js';

const NAME = 'stream';

/** The stream settings read from the command line. */
export interface StreamSettings {
  sample: boolean;
  params: FilteredStreamParams;
  backfill: 'auto' | undefined;
  maxRetries: number | undefined;
  output: string | undefined;
  append: boolean;
  limit: number | undefined;
  durationMs: number | undefined;
  flatten: boolean;
  quiet: boolean;
  progressIntervalMs: number;
}

/** Reads and checks every flag of `birdstream stream`; unknown field names are usage errors. */
export function readStreamSettings(values: ParsedValues): StreamSettings {
  const params: FilteredStreamParams = {};
  const list = <T extends string>(name: string, allowed: readonly T[]): T[] | undefined => {
    const text = stringOption(values, name);
    return text === undefined ? undefined : parseList(text, allowed, `--${name}`, NAME);
  };
  const expansions = list<Expansion>('expansions', EXPANSIONS);
  if (expansions) params.expansions = expansions;
  const tweetFields = list<TweetField>('tweet-fields', TWEET_FIELDS);
  if (tweetFields) params['tweet.fields'] = tweetFields;
  const userFields = list<UserField>('user-fields', USER_FIELDS);
  if (userFields) params['user.fields'] = userFields;
  const mediaFields = list<MediaField>('media-fields', MEDIA_FIELDS);
  if (mediaFields) params['media.fields'] = mediaFields;
  const placeFields = list<PlaceField>('place-fields', PLACE_FIELDS);
  if (placeFields) params['place.fields'] = placeFields;
  const pollFields = list<PollField>('poll-fields', POLL_FIELDS);
  if (pollFields) params['poll.fields'] = pollFields;

  let backfill: 'auto' | undefined;
  const backfillText = stringOption(values, 'backfill');
  if (backfillText !== undefined) {
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
  const durationText = stringOption(values, 'duration');
  const retriesText = stringOption(values, 'max-retries');
  const intervalText = stringOption(values, 'progress-interval');
  const output = stringOption(values, 'output');
  const append = flag(values, 'append');
  if (append && output === undefined) {
    throw new UsageError('--append needs --output <file>.', NAME);
  }
  return {
    sample: flag(values, 'sample'),
    params,
    backfill,
    maxRetries:
      retriesText === undefined ? undefined : parseInteger(retriesText, '--max-retries', NAME, 0),
    output,
    append,
    limit: limitText === undefined ? undefined : parseInteger(limitText, '--limit', NAME, 1),
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
