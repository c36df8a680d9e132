import type { RunStats } from '../stream/run-stats.js';
import { formatCount, formatDuration, formatRate, plural } from './format.js';

/** Why a stream run ended. */
export type StopReason = 'limit' | 'max-posts' | 'duration' | 'signal' | 'output-closed' | 'error';

/** The last line of `birdstream stream`: why it stopped, what it wrote, what happened on the way. */
export function streamSummary(
  stats: RunStats,
  reason: StopReason | undefined,
  label: string,
  lines: number,
  signalReason: unknown,
): string {
  const why =
    reason === 'limit'
      ? 'reached --limit'
      : reason === 'max-posts'
        ? 'stopped at --max-posts'
        : reason === 'duration'
          ? 'reached --duration'
          : reason === 'signal'
            ? `stopped by ${typeof signalReason === 'string' ? signalReason : 'an abort signal'}`
            : reason === 'output-closed'
              ? 'the output was closed'
              : 'stopped by an error';
  return (
    `birdstream: ${why} after ${formatDuration(stats.elapsedMs())}: ${plural(stats.posts, 'post')} ` +
    `(${formatRate(stats.averageRate())}/s), ${formatCount(lines)} lines written to ${label}; ` +
    `${plural(stats.reconnects, 'reconnect')}, ${plural(stats.duplicates, 'duplicate')} dropped, ` +
    `${plural(stats.invalid, 'invalid message')} skipped.`
  );
}
