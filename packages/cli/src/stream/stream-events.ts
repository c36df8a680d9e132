import type { StreamEventHandlers } from '@birdstream/core';
import { formatCount, formatDuration, plural } from '../output/format.js';
import { attemptFailure, oneLine } from './reason-text.js';
import type { RunStats } from './run-stats.js';

const MAX_WARNINGS = 5;

/**
 * The lifecycle listeners of `birdstream stream`: they keep the status of
 * the progress line (the counters are core's `stream.stats`), and print what a person watching needs
 * to know (connected, reconnecting and why, backfill, stalls). Warnings about
 * skipped messages are capped at 5 lines; the summary counts them all.
 * `server` names the other end in messages: `X`, or the host of a
 * `--base-url` that is not X's (an emulator is not called X). Until a
 * stream (or partition) has connected once, a failed attempt is "could not
 * connect", never "connection lost"; after that, "connection lost" only
 * when a connection that was up ended, and a failed reconnect attempt is
 * "reconnect refused" (an HTTP answer) or "could not reconnect". Backfill
 * is announced once the connection that asked for it is up.
 */
export function streamEventHandlers(
  stats: RunStats,
  log: (message: string) => void,
  endpoint: string,
  server = 'X',
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
    reconnecting: (event) => {
      const partition = (event as { partition?: number }).partition;
      const where = partition === undefined ? '' : ` (partition ${partition})`;
      stats.recordReconnecting(event.delayMs);
      const ever = connected.has(partition);
      // Core says how the previous attempt ended: a connection that was up, an HTTP refusal, or no answer.
      let what: string;
      let why: string;
      if (event.previous === 'lost') {
        what = `connection lost${where}`;
        why = oneLine(event.reason);
      } else if (ever) {
        what =
          event.previous === 'refused'
            ? `reconnect refused by ${server}${where}`
            : `could not reconnect${where}`;
        why = attemptFailure(event.reason);
      } else {
        // Before any connection, a failure is said in a few words (the final line has the URL).
        what = `could not connect to ${server}${where}`;
        why = attemptFailure(event.reason);
      }
      const next = ever ? 'reconnecting' : 'retrying';
      log(
        `${what} (${why}); ${next} in ${formatDuration(event.delayMs)} (attempt ${event.attempt}).`,
      );
    },
    backfill: (event) => {
      // Core announces backfill once the connection that asked for it is up.
      const partition = (event as { partition?: number }).partition;
      const where = partition === undefined ? '' : ` (partition ${partition})`;
      const gap = event.exceedsWindow
        ? ` (that cannot reach back over the whole outage: ${
            event.outageMs > 5 * 60_000
              ? 'it was longer than 5 minutes'
              : 'the reconnect came up late'
          }; some posts may be missing, --recover-gaps replays them)`
        : '';
      log(
        `asked ${server} to redeliver ${plural(event.minutes, 'minute')} of missed posts${where}${gap}.`,
      );
    },
    recovery: (event) => {
      const partition = (event as { partition?: number }).partition;
      const where = partition === undefined ? '' : ` (partition ${partition})`;
      const gap = `the gap ${clockTime(event.startTime)}–${clockTime(event.endTime)}${where}`;
      if (event.phase === 'started') {
        log(
          `recovering ${gap}, longer than ${server}'s 5-minute backfill, with a recovery request.`,
        );
      } else if (event.phase === 'completed') {
        log(`recovered ${gap}: ${plural(event.posts ?? 0, 'post')} replayed (duplicates dropped).`);
      } else if (event.phase === 'failed') {
        log(
          `recovery of ${gap} failed (${event.error === undefined ? 'no reason given' : oneLine(event.error)}): its posts were not recovered.`,
        );
      } else if (event.phase === 'unrecoverable') {
        log(`${gap} is older than ${server}'s 24 hours of recovery: its posts are lost.`);
      }
    },
    'budget-warning': (event) =>
      log(
        `${formatCount(event.usage.delivered)} of ${formatCount(event.usage.limit)} posts delivered (--max-posts); the stream stops cleanly at ${formatCount(event.usage.limit)}.`,
      ),
    'falling-behind': (event) =>
      log(
        event.reason === 'posts-aging'
          ? `falling behind: posts arrive ${formatDuration(event.lag.ageMs?.p50 ?? 0)} old (median); X disconnects readers that stay too slow and drops what it buffered.`
          : `falling behind: writing the output takes ${Math.round(event.lag.consumerShare * 100)}% of the time, so X's buffer fills; X disconnects readers that stay too slow. Write to a faster output (a file rather than a slow pipe).`,
      ),
    'caught-up': () => log('caught up: the stream is no longer falling behind.'),
    stalled: (event) =>
      log(`no data or heartbeat for ${formatDuration(event.timeoutMs)}; reconnecting.`),
    'payload-invalid': (event) => {
      warn(`skipped a message: ${event.error.message}`);
    },
    unrecognized: (event) => {
      const first = event.issues[0];
      const where = first ? ` (${first.path.join('.') || 'the message'}: ${first.message})` : '';
      warn(
        `a message could not be read as this stream's type (${event.reason})${where}; it is not in the output.`,
      );
    },
    'schema-drift': ({ drift }) => {
      const what = drift.kind === 'coerced' ? 'read as its declared type' : 'set aside';
      warn(
        `${plural(drift.count, 'message')} so far had ${drift.path} off its declared type (${what}): ${drift.detail.replace(/ Set aside: see driftOf\(\)\.$/, '')}`,
      );
    },
    'stream-errors': (event) => {
      if (event.disconnect) return;
      for (const problem of event.errors) {
        const text = [problem.title, problem.detail]
          .filter((s) => typeof s === 'string')
          .join(': ');
        if (text) warn(`${server} reported: ${text}`);
      }
    },
  };
}

/** A time of day in UTC, `HH:MM:SS`, for gaps in log lines. */
function clockTime(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(11, 19);
}
