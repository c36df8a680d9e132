import type { IngestEvent, IngestorStats, IngestTotals } from '@birdstream/redis';
import { formatCount, formatDuration, plural } from '../output/format.js';

/** `2026-12-06T20:41:03Z`: the time every ingest log line starts with (UTC, to the second). */
export function logTime(epochMs: number): string {
  return `${new Date(Math.floor(epochMs / 1000) * 1000).toISOString().slice(0, 19)}Z`;
}

const minutes = (n: number) => `${formatCount(n)} min`;
const seconds = (ms: number | undefined) =>
  ms === undefined ? 'n/a' : `${(ms / 1000).toFixed(1)} s`;
/** `20:01:00Z`, for windows within a day of each other. */
const clockTime = (epochMs: number) => logTime(epochMs).slice(11);

/**
 * The log line of one ingest event (without its time), or `undefined` for
 * events that are not logged. Errors are logged by the caller as they are.
 */
export function describeIngestEvent(event: IngestEvent): string | undefined {
  switch (event.type) {
    case 'claimed':
      if (event.previousOwner === undefined) {
        return `partition ${event.partition}: claimed (fencing token ${event.token}); no worker read it before.`;
      }
      if (event.previousOwner === event.owner) {
        return `partition ${event.partition}: claimed again (fencing token ${event.token}).`;
      }
      return `partition ${event.partition}: taken over from ${event.previousOwner} (fencing token ${event.token}).`;
    case 'takeover-backfill': {
      const gap = formatDuration(event.outageMs);
      const from = `the newest post in Redis was created ${gap} ago (less a 1 min margin)`;
      const backfill =
        event.minutes > 0 ? `asking X to backfill ${minutes(event.minutes)}` : 'no backfill';
      if (event.recovery === 'not-needed') {
        return `partition ${event.partition}: ${from}; ${backfill}.`;
      }
      const rest = Math.ceil(event.outageMs / 60_000) - event.minutes;
      if (event.recovery === 'recovering') {
        return `partition ${event.partition}: ${from}, beyond X's 5-minute backfill: ${backfill} and recovering the ${minutes(rest)} before with start_time/end_time.`;
      }
      return `partition ${event.partition}: ${from}, beyond X's 5-minute backfill: ${backfill}; the ${minutes(rest)} before cannot be replayed (see the next line).`;
    }
    case 'unrecoverable': {
      const why = {
        'no-recovery': 'this stream has no recovery (start_time/end_time)',
        'older-than-24h': "they are older than X's 24-hour recovery window",
        'recovery-failed': 'the recovery request failed',
      }[event.reason];
      return `partition ${event.partition}: posts created ${clockTime(event.startTime)}–${clockTime(event.endTime)} (${minutes(event.minutes)}) cannot be replayed: ${why}. They are missing from Redis.`;
    }
    case 'stopped':
      switch (event.reason) {
        case 'released':
          return `partition ${event.partition}: handed over (lease released; writes finished).`;
        case 'lost':
          return `partition ${event.partition}: lost: another worker holds its lease now, or it expired; stopped reading it.`;
        case 'expiring':
          return `partition ${event.partition}: stopped: its lease could not be renewed in time (is Redis reachable?); another worker takes it over.`;
      }
      return undefined;
    case 'progress': {
      const p = `partition ${event.partition}:`;
      if (event.replaying) {
        const from =
          event.replaying.previousOwner === undefined
            ? ''
            : ` from ${event.replaying.previousOwner}`;
        return `${p} replaying ${minutes(event.replaying.minutes)} after takeover${from}: ${formatCount(event.duplicatesInInterval)} already in Redis, ${formatCount(event.writtenInInterval)} new; ${event.postsPerSecond.toFixed(0)} posts/s, lag ${seconds(event.lagMs)}.`;
      }
      const behind = event.behind ? ' (falling behind)' : '';
      // What is received but not yet in Redis, when it is worth saying.
      const inRedis =
        event.writeLagMs !== undefined && event.writeLagMs - (event.lagMs ?? 0) > 1_000
          ? ` (in Redis: ${seconds(event.writeLagMs)})`
          : '';
      const recovering =
        event.recovering > 0
          ? `, recovering ${plural(event.recovering, 'window')} with start_time/end_time`
          : '';
      return `${p} ${event.postsPerSecond.toFixed(0)} posts/s, lag ${seconds(event.lagMs)}${inRedis}${behind}, owner ${event.owner}, ${plural(event.reconnects, 'reconnect')}, ${formatCount(event.written)} written, ${plural(event.duplicates, 'duplicate')}${recovering}.`;
    }
    case 'falling-behind': {
      const p = `partition ${event.partition}: falling behind:`;
      const waiting = `${plural(event.pendingWrites, 'write')} waiting for Redis`;
      if (event.reason === 'replay') {
        return `${p} the takeover replay has not caught up after ${seconds(event.thresholdMs)}; ${waiting}. Add workers or CPU, or check Redis.`;
      }
      return `${p} the newest post received is ${seconds(event.lagMs)} old (in Redis: ${seconds(event.writeLagMs)}), above ${seconds(event.thresholdMs)}; ${waiting}. Add workers or CPU, or check Redis.`;
    }
    case 'caught-up':
      return `partition ${event.partition}: caught up (lag ${seconds(event.lagMs)}) after ${formatDuration(event.behindForMs)} behind.`;
    case 'stream': {
      const e = event.event;
      const p = `partition ${event.partition}:`;
      if (e.type === 'reconnecting') {
        return `${p} connection lost (${e.reason.message}); reconnecting in ${e.delayMs} ms.`;
      }
      if (e.type === 'stalled') return `${p} stalled; reconnecting.`;
      if (e.type === 'recovery' && e.phase === 'started') {
        return `${p} recovering posts created ${clockTime(e.startTime)}–${clockTime(e.endTime)} with start_time/end_time.`;
      }
      if (e.type === 'recovery' && e.phase === 'completed') {
        return `${p} recovered ${clockTime(e.startTime)}–${clockTime(e.endTime)} (${plural(e.posts ?? 0, 'post')} replayed; those already in Redis count as duplicates).`;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

function totalsLine(t: IngestTotals): string {
  return `${formatCount(t.written)} written, ${plural(t.duplicates, 'duplicate')}, ${plural(t.reconnects, 'reconnect')}, backfill ${minutes(t.backfillMinutes)}, recovered ${minutes(t.recoveredMinutes)}, unrecoverable ${minutes(t.unrecoverableMinutes)}, claimed ${t.claims}× (${t.takeovers} takeover${t.takeovers === 1 ? '' : 's'})`;
}

/** The final summary, a line per partition this worker held and a total. */
export function summaryLines(stats: IngestorStats): string[] {
  const lines = stats.partitions.map((p) => `summary: partition ${p.partition}: ${totalsLine(p)}.`);
  lines.push(
    `summary: total of ${stats.owner} over ${plural(stats.partitions.length, 'partition')}: ${totalsLine(stats.totals)}.`,
  );
  return lines;
}
