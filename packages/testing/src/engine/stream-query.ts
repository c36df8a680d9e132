import type { StreamEndpointInfo } from '@birdstream/core';
import { acceptedParams } from '@birdstream/core/internal';
import { type FieldSelection, fieldSelection } from '../traffic/field-selection.js';
import type { InvalidParameter } from './problems.js';

/** The list parameters, by the part of the selection they fill (the values X accepts are the row's `fields`). */
const LISTS = {
  expansions: 'expansions',
  tweet: 'tweet.fields',
  user: 'user.fields',
  media: 'media.fields',
  place: 'place.fields',
  poll: 'poll.fields',
  like: 'like_with_tweet_author.fields',
} as const satisfies Record<keyof FieldSelection, string>;

/** A recovery window (`start_time`/`end_time`), emulated epoch ms. */
export interface RecoveryWindow {
  start: number;
  /** Absent: replay from `start` up to now, then stay live. */
  end?: number;
}

/** A stream request's parameters, or what is wrong with them (X's 400 `errors` entries). */
export type StreamQuery =
  | {
      ok: true;
      selection: FieldSelection;
      backfillMinutes: number;
      /** 1-based partition, on partitioned streams. */
      partition?: number;
      recovery?: RecoveryWindow;
    }
  | { ok: false; errors: InvalidParameter[] };

const DAY_MS = 24 * 3600_000;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

/**
 * Reads and checks a stream request's query the way X does, from the
 * stream's row of core's endpoint table: parameters the row does not list,
 * unknown field values, a missing or out-of-range `partition`, an
 * out-of-range `backfill_minutes` and a bad `start_time`/`end_time` are 400
 * `invalid-request` problems naming the parameter.
 */
export function parseStreamQuery(
  search: URLSearchParams,
  row: StreamEndpointInfo,
  now: number,
): StreamQuery {
  const errors: InvalidParameter[] = [];
  const allowed = row.partitions ? [...acceptedParams(row), 'partition'] : acceptedParams(row);
  const sortedAllowed = [...allowed].sort();
  for (const key of new Set(search.keys())) {
    if (!allowed.includes(key)) {
      errors.push({
        parameters: { [key]: search.getAll(key) },
        message: `The query parameter [${key}] is not one of [${sortedAllowed.join(',')}]`,
      });
    }
  }
  const lists: Partial<Record<keyof FieldSelection, string[]>> = {};
  for (const [part, param] of Object.entries(LISTS) as [keyof FieldSelection, string][]) {
    const raw = search.get(param);
    const allowedValues = row.fields[param];
    if (raw === null || allowedValues === undefined) continue;
    const items = raw.split(',').filter((v) => v !== '');
    const bad = items.filter((v) => !allowedValues.includes(v));
    if (bad.length > 0 || items.length === 0) {
      errors.push({
        parameters: { [param]: [raw] },
        message: `The \`${param}\` query parameter value [${bad[0] ?? raw}] is not one of [${allowedValues.join(',')}]`,
      });
    }
    lists[part] = items;
  }
  let partition: number | undefined;
  if (row.partitions) {
    const raw = search.get('partition');
    const n = Number(raw);
    if (raw === null) {
      errors.push({
        parameters: { partition: [] },
        message: `The \`partition\` query parameter is required on ${row.path} (1 to ${row.partitions.max})`,
      });
    } else if (!/^\d+$/.test(raw) || n < 1 || n > row.partitions.max) {
      errors.push({
        parameters: { partition: [raw] },
        message: `The \`partition\` query parameter value [${raw}] is not between 1 and ${row.partitions.max}`,
      });
    } else partition = n;
  }
  let backfillMinutes = 0;
  const backfill = search.get('backfill_minutes');
  if (backfill !== null && allowed.includes('backfill_minutes')) {
    const n = Number(backfill);
    if (!/^\d+$/.test(backfill) || n > 5) {
      errors.push({
        parameters: { backfill_minutes: [backfill] },
        message: `The \`backfill_minutes\` query parameter value [${backfill}] is not between 0 and 5`,
      });
    } else backfillMinutes = n;
  }
  const recovery = row.recovery ? parseRecovery(search, now, errors) : undefined;
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    selection: fieldSelection(lists),
    backfillMinutes,
    ...(partition === undefined ? {} : { partition }),
    ...(recovery ? { recovery } : {}),
  };
}

function time(
  search: URLSearchParams,
  name: 'start_time' | 'end_time',
  errors: InvalidParameter[],
): number | undefined {
  const raw = search.get(name);
  if (raw === null) return undefined;
  const ms = RFC3339.test(raw) ? Date.parse(raw) : Number.NaN;
  if (Number.isNaN(ms)) {
    errors.push({
      parameters: { [name]: [raw] },
      message: `Invalid '${name}':'${raw}'. '${name}' must be a timestamp in the format YYYY-MM-DDTHH:mm:ssZ`,
    });
    return undefined;
  }
  return ms;
}

/** `start_time`/`end_time`: within the last 24 hours, start before end, end not in the future. */
function parseRecovery(
  search: URLSearchParams,
  now: number,
  errors: InvalidParameter[],
): RecoveryWindow | undefined {
  const before = errors.length;
  const start = time(search, 'start_time', errors);
  const end = time(search, 'end_time', errors);
  if (errors.length > before) return undefined;
  if (start === undefined) {
    if (end !== undefined)
      errors.push({
        parameters: { end_time: [search.get('end_time') ?? ''] },
        message: "'end_time' requires 'start_time'",
      });
    return undefined;
  }
  if (start < now - DAY_MS) {
    errors.push({
      parameters: { start_time: [search.get('start_time') ?? ''] },
      message: "Invalid 'start_time'. 'start_time' must be within the last 24 hours",
    });
  }
  if (end !== undefined && end <= start) {
    errors.push({
      parameters: { end_time: [search.get('end_time') ?? ''] },
      message: "Invalid 'end_time'. 'end_time' must be after 'start_time'",
    });
  }
  if (start >= now || (end !== undefined && end > now)) {
    errors.push({
      parameters: { start_time: [search.get('start_time') ?? ''] },
      message: "Invalid 'start_time'/'end_time'. The window must lie in the past",
    });
  }
  if (errors.length > before) return undefined;
  return end === undefined ? { start } : { start, end };
}
