import type { ConsumerSnapshot } from './consumer-tracker.js';

/** Where the demo writes, and whether it may redraw in place. */
export interface DemoOutput {
  write(text: string): void;
  isTTY: boolean;
}

/** The header of the live view. */
export interface DashboardHeader {
  url: string;
  seed: string;
  rate: number;
  timeScale: number;
  elapsedSeconds: number;
  durationSeconds: number;
  /** Latest faults, newest last. */
  faults: string[];
}

function formatSeconds(seconds: number): string {
  return `${Number(seconds.toFixed(2))} s`;
}

function age(ms: number | undefined): string {
  return ms === undefined ? '—' : `${(ms / 1000).toFixed(1)} s`;
}

function reasons(list: string[]): string {
  if (list.length === 0) return '—';
  const counts = new Map<string, number>();
  for (const r of list) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts].map(([r, n]) => (n > 1 ? `${r}×${n}` : r)).join(', ');
}

function row(label: string, values: string[]): string {
  return `  ${label.padEnd(22)}${values.map((v) => v.padStart(22)).join('')}`;
}

/** The live view as lines (the same content for a TTY redraw and a plain log). */
export function dashboardLines(header: DashboardHeader, consumers: ConsumerSnapshot[]): string[] {
  return [
    `birdstream demo · emulator ${header.url} · seed ${header.seed} · ${header.rate} posts/s · time ×${header.timeScale} · ${header.elapsedSeconds.toFixed(0)} / ${header.durationSeconds} s (real)`,
    `  ages are in emulated time (×${header.timeScale}): a 20 s heartbeat comes every ${formatSeconds(20 / header.timeScale)} of real time`,
    row(
      '',
      consumers.map((c) => c.name),
    ),
    row(
      'posts/s (real)',
      consumers.map((c) => String(c.postsPerSecond)),
    ),
    row(
      'posts delivered',
      consumers.map((c) => String(c.delivered)),
    ),
    row(
      'reconnects',
      consumers.map((c) => String(c.reconnects)),
    ),
    row(
      '  reasons',
      consumers.map((c) => reasons(c.reasons)),
    ),
    row(
      'backfilled minutes',
      consumers.map((c) => (c.backfills.length ? c.backfills.join('+') : '—')),
    ),
    row(
      'duplicates dropped',
      consumers.map((c) => String(c.duplicatesDropped)),
    ),
    row(
      'last heartbeat (emul.)',
      consumers.map((c) => `${age(c.heartbeatAgeMs)} ago`),
    ),
    row(
      'post age p50 (emul.)',
      consumers.map((c) => lagText(c)),
    ),
    `  faults (emulator): ${header.faults.length ? header.faults.slice(-4).join(' · ') : 'none yet'}`,
  ];
}

/** The median age of recent posts, and whether the stream is falling behind. */
function lagText(c: ConsumerSnapshot): string {
  const lag = c.lagMs === undefined ? '—' : age(c.lagMs);
  return c.fallingBehind === undefined ? lag : `${lag} (falling behind: ${c.fallingBehind})`;
}

/** One line for a log that is not a terminal. */
export function plainLine(header: DashboardHeader, consumers: ConsumerSnapshot[]): string {
  const parts = consumers.map(
    (c) =>
      `${c.name}: ${c.postsPerSecond}/s, ${c.delivered} delivered, ${c.reconnects} reconnects (${reasons(c.reasons)}), backfill ${c.backfills.join('+') || '—'} min, ${c.duplicatesDropped} duplicates dropped, heartbeat ${age(c.heartbeatAgeMs)} ago, post age ${lagText(c)}`,
  );
  return `[${header.elapsedSeconds.toFixed(0).padStart(3)} s real; ages in emulated time ×${header.timeScale}] ${parts.join(' | ')}`;
}

/** Redraws the view in place on a terminal; prints a plain line every few seconds otherwise. */
export class Dashboard {
  private drawn = 0;
  private lastPlain = Number.NEGATIVE_INFINITY;

  constructor(private readonly out: DemoOutput) {}

  render(header: DashboardHeader, consumers: ConsumerSnapshot[]): void {
    if (this.out.isTTY) {
      const lines = dashboardLines(header, consumers);
      const up = this.drawn > 0 ? `\x1b[${this.drawn}F` : '';
      this.out.write(`${up}${lines.map((l) => `\x1b[2K${l}`).join('\n')}\n`);
      this.drawn = lines.length;
    } else if (header.elapsedSeconds - this.lastPlain >= 3) {
      this.lastPlain = header.elapsedSeconds;
      this.out.write(`${plainLine(header, consumers)}\n`);
    }
  }

  /** A line that scrolls above the live view (or is simply printed). */
  note(line: string): void {
    if (this.out.isTTY && this.drawn > 0) {
      this.out.write(`\x1b[${this.drawn}F\x1b[J${line}\n`);
      this.drawn = 0;
    } else {
      this.out.write(`${line}\n`);
    }
  }
}
