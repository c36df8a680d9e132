import {
  EXPANSIONS,
  MEDIA_FIELDS,
  PLACE_FIELDS,
  POLL_FIELDS,
  TWEET_FIELDS,
  USER_FIELDS,
} from '@birdstream/core';
import type { StreamEndpoint } from '../faults/fault.js';
import { type FieldSelection, fieldSelection } from '../traffic/field-selection.js';
import type { InvalidParameter } from './problems.js';

const LISTS = {
  expansions: ['expansions', EXPANSIONS],
  tweet: ['tweet.fields', TWEET_FIELDS],
  user: ['user.fields', USER_FIELDS],
  media: ['media.fields', MEDIA_FIELDS],
  place: ['place.fields', PLACE_FIELDS],
  poll: ['poll.fields', POLL_FIELDS],
} as const;

const ALLOWED: Record<StreamEndpoint, readonly string[]> = {
  filter: [
    'backfill_minutes',
    'end_time',
    'expansions',
    'media.fields',
    'place.fields',
    'poll.fields',
    'start_time',
    'tweet.fields',
    'user.fields',
  ],
  sample: [
    'backfill_minutes',
    'expansions',
    'media.fields',
    'place.fields',
    'poll.fields',
    'tweet.fields',
    'user.fields',
  ],
};

/** A stream request's parameters, or what is wrong with them (X's 400 `errors` entries). */
export type StreamQuery =
  | { ok: true; selection: FieldSelection; backfillMinutes: number }
  | { ok: false; errors: InvalidParameter[] };

/**
 * Reads and checks a stream request's query the way X does: unknown
 * parameters, unknown field values and an out-of-range `backfill_minutes`
 * are 400 `invalid-request` problems naming the parameter.
 */
export function parseStreamQuery(search: URLSearchParams, endpoint: StreamEndpoint): StreamQuery {
  const errors: InvalidParameter[] = [];
  const allowed = ALLOWED[endpoint];
  for (const key of new Set(search.keys())) {
    if (!allowed.includes(key)) {
      errors.push({
        parameters: { [key]: search.getAll(key) },
        message: `The query parameter [${key}] is not one of [${allowed.join(',')}]`,
      });
    }
  }
  const lists: Partial<Record<keyof typeof LISTS, string[]>> = {};
  for (const [name, [param, values]] of Object.entries(LISTS) as [
    keyof typeof LISTS,
    (typeof LISTS)[keyof typeof LISTS],
  ][]) {
    const raw = search.get(param);
    if (raw === null) continue;
    const items = raw.split(',').filter((v) => v !== '');
    const allowedValues = values as readonly string[];
    const bad = items.filter((v) => !allowedValues.includes(v));
    if (bad.length > 0 || items.length === 0) {
      errors.push({
        parameters: { [param]: [raw] },
        message: `The \`${param}\` query parameter value [${bad[0] ?? raw}] is not one of [${allowedValues.join(',')}]`,
      });
    }
    lists[name] = items;
  }
  let backfillMinutes = 0;
  const backfill = search.get('backfill_minutes');
  if (backfill !== null) {
    const n = Number(backfill);
    if (!/^\d+$/.test(backfill) || n > 5) {
      errors.push({
        parameters: { backfill_minutes: [backfill] },
        message: `The \`backfill_minutes\` query parameter value [${backfill}] is not between 0 and 5`,
      });
    } else backfillMinutes = n;
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, selection: fieldSelection(lists), backfillMinutes };
}
