import type { StreamEventHandlers } from '@birdstream/core';
import { formatDuration, plural } from '../output/format.js';
import type { StreamStats } from './stream-stats.js';

const MAX_WARNINGS = 5;

/**
 * The lifecycle listeners of `birdstream stream`: they keep the counters of
 * the progress line and the summary, and print what a person watching needs
 * to know (connected, reconnecting and why, backfill, stalls). Warnings about
 * skipped messages are capped at 5 lines; the summary counts them all.
 */
export function streamEventHandlers(
  stats: StreamStats,
  log: (message: string) => void,
  endpoint: string,
): StreamEventHandlers {
  const connected = new Set<number | undefined>();
  let warnings = 0;
  const warn = (message: string) => {
    warnings += 1;
    if (warnings <= MAX_WARNINGS) log(message);
    else if (warnings === MAX_WARNINGS + 1)
      log('further warnings are only counted in the summary.');
  };
  return {
    connected: (event) => {
      // With several partitions (client.partitions), each event names its partition.
      const partition = (event as { partition?: number }).partition;
      const where = partition === undefined ? '' : ` (partition ${partition})`;
      stats.recordConnected();
      log(
        connected.has(partition) ? `reconnected${where}.` : `connected to the ${endpoint}${where}.`,
      );
      connected.add(partition);
    },
    'keep-alive': () => stats.recordKeepAlive(),
    reconnecting: (event) => {
      stats.recordReconnecting(event.delayMs);
      log(
        `connection lost (${event.reason.message}); reconnecting in ${formatDuration(event.delayMs)} (attempt ${event.attempt}).`,
      );
    },
    backfill: (event) => {
      const gap = event.exceedsWindow
        ? ' (the outage was longer than 5 minutes: some posts may be missing)'
        : '';
      log(`asking X to redeliver ${plural(event.minutes, 'minute')} of missed posts${gap}.`);
    },
    stalled: (event) =>
      log(`no data or heartbeat for ${formatDuration(event.timeoutMs)}; reconnecting.`),
    'payload-invalid': (event) => {
      stats.invalid += 1;
      warn(`skipped a message: ${event.error.message}`);
    },
    duplicate: () => {
      stats.duplicates += 1;
    },
    'stream-errors': (event) => {
      if (event.disconnect) return;
      for (const problem of event.errors) {
        const text = [problem.title, problem.detail]
          .filter((s) => typeof s === 'string')
          .join(': ');
        if (text) warn(`X reported: ${text}`);
      }
    },
  };
}
