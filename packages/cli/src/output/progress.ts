import type { Writable } from 'node:stream';
import type { Clock, TimerHandle } from '@birdstream/core';
import type { RunStats } from '../stream/run-stats.js';
import { formatCount, formatDuration, formatRate, plural } from './format.js';

/** Options of a `ProgressReporter`. */
export interface ProgressOptions {
  /** Where progress goes (stderr). */
  stream: Writable;
  /** A terminal gets one line redrawn in place; anything else gets periodic plain lines. */
  tty: boolean;
  clock: Clock;
  stats: RunStats;
  /**
   * How often a plain progress line is printed when not on a terminal.
   * @default 30_000
   */
  intervalMs?: number;
  /** Removes secrets from event lines. */
  redact?: (text: string) => string;
}

const TTY_REFRESH_MS = 1000;
const CLEAR_LINE = '\r\x1b[2K';

/**
 * Shows how a stream is doing on stderr: posts, posts/s, reconnects and the
 * last heartbeat. On a terminal it redraws a single line every second; in a
 * log (CI, a file, a pipe) it prints a plain line every `intervalMs`. Event
 * lines (reconnecting, backfill …) are printed above the progress line.
 */
export class ProgressReporter {
  private readonly options: Required<ProgressOptions>;
  private timer: TimerHandle | undefined;
  private drawn = false;
  private running = false;

  constructor(options: ProgressOptions) {
    this.options = { intervalMs: 30_000, redact: (text) => text, ...options };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    if (this.options.tty) this.draw();
    this.schedule();
  }

  /** Prints an event line (keeping the terminal's progress line below it). */
  log(message: string): void {
    const line = `${this.options.redact(message)}\n`;
    if (this.options.tty && this.drawn) {
      this.options.stream.write(`${CLEAR_LINE}${line}`);
      this.drawn = false;
      if (this.running) this.draw();
    } else {
      this.options.stream.write(line);
    }
  }

  /** Stops the timer and removes the terminal's progress line. */
  stop(): void {
    this.running = false;
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
    if (this.options.tty && this.drawn) this.options.stream.write(CLEAR_LINE);
    this.drawn = false;
  }

  /** The progress text, as drawn on a terminal. */
  line(): string {
    const { stats, clock } = this.options;
    const parts = [
      statusText(stats, clock.now()),
      plural(stats.posts, 'post'),
      `${formatRate(stats.recentRate())} posts/s`,
      plural(stats.reconnects, 'reconnect'),
      heartbeatText(stats.sinceHeartbeatMs()),
      ...lagAndBudget(stats),
      formatDuration(stats.elapsedMs()),
    ];
    return parts.join(' · ');
  }

  /** The progress text, as printed to a log. */
  plainLine(): string {
    const { stats } = this.options;
    return (
      `birdstream: ${formatDuration(stats.elapsedMs())}: ${formatCount(stats.posts)} posts ` +
      `(${formatRate(stats.recentRate())}/s), ${plural(stats.reconnects, 'reconnect')}, ` +
      `${heartbeatText(stats.sinceHeartbeatMs())}, ${[...lagAndBudget(stats), stats.status].join(', ')}`
    );
  }

  private schedule(): void {
    const delay = this.options.tty ? TTY_REFRESH_MS : this.options.intervalMs;
    this.timer = this.options.clock.setTimeout(() => {
      if (!this.running) return;
      if (this.options.tty) this.draw();
      else this.options.stream.write(`${this.plainLine()}\n`);
      this.schedule();
    }, delay);
  }

  private draw(): void {
    this.options.stream.write(`${CLEAR_LINE}${this.line()}`);
    this.drawn = true;
  }
}

function statusText(stats: RunStats, now: number): string {
  if (stats.status === 'reconnecting' && stats.reconnectAt !== undefined) {
    return `reconnecting in ${formatDuration(Math.max(0, stats.reconnectAt - now))}`;
  }
  return stats.status;
}

/** How far behind (age p50 of recent posts, share of time the writer held them) and the budget. */
function lagAndBudget(stats: RunStats): string[] {
  const parts: string[] = [];
  const lag = stats.lag;
  if (lag !== undefined) {
    const age = lag.ageMs === undefined ? '' : `age p50 ${formatDuration(lag.ageMs.p50)}, `;
    const behind = lag.fallingBehind === undefined ? '' : ' (falling behind)';
    parts.push(`${age}consumer ${Math.round(lag.consumerShare * 100)}%${behind}`);
  }
  const usage = stats.usage;
  if (usage !== undefined) {
    parts.push(
      `budget ${formatCount(usage.delivered)}/${formatCount(usage.limit)} (${Math.floor(usage.percent)}%)`,
    );
  }
  return parts;
}

function heartbeatText(sinceMs: number | undefined): string {
  return sinceMs === undefined
    ? 'no heartbeat yet'
    : `last heartbeat ${formatDuration(sinceMs)} ago`;
}
