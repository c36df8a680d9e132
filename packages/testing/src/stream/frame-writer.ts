import type { EmulatedClock, EmulatedTimer, TimerGroup } from '../engine/emulated-clock.js';
import type { SplitMode } from '../faults/fault.js';
import type { Prng } from '../traffic/prng.js';
import { splitMessage, splitRandom } from './chunking.js';
import type { StreamSink } from './sink.js';

/** One framed message: an item (a post, a like, a compliance event…), a keep-alive or a system message. */
export interface Frame {
  kind: 'post' | 'keep-alive' | 'system';
  bytes: Uint8Array;
  /** The item's identity (core's `dedupeKey` of the message; a post's id). */
  postId?: string;
  backfill?: boolean;
}

const DRIP_EVERY_MS = 100;

function concat(frames: readonly Frame[]): Uint8Array {
  const total = frames.reduce((n, f) => n + f.bytes.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const f of frames) {
    out.set(f.bytes, at);
    at += f.bytes.length;
  }
  return out;
}

/**
 * Turns queued frames into chunks on the wire. Normally one chunk per
 * message; a `split` fault re-chunks messages, a `slow` fault drips bytes,
 * a `stall` pauses everything. `onWritten` fires once a frame's last byte
 * has been handed to the sink: that is what "sent" means in the stats.
 */
export class FrameWriter {
  private queue: Frame[] = [];
  /** Bytes of the head frame already written (by a drip). */
  private headOffset = 0;
  private split: { mode: SplitMode; remaining: number } | undefined;
  private slow:
    | { until: number; bytesPerSecond: number; timer: EmulatedTimer | undefined }
    | undefined;
  private paused = false;
  private stopped = false;

  constructor(
    private readonly sink: StreamSink,
    private readonly clock: EmulatedClock,
    private readonly timers: TimerGroup,
    private readonly rng: Prng,
    private readonly onWritten: (frame: Frame) => void,
    /** Length of the bytes that end each message (2 for `\r\n`, 1 for `\n`). */
    private readonly terminator = 2,
  ) {}

  enqueue(frame: Frame): void {
    this.queue.push(frame);
  }

  /** Frames waiting to be written. */
  get pending(): number {
    return this.queue.length;
  }

  setSplit(mode: SplitMode, messages: number | undefined): void {
    this.split = { mode, remaining: messages ?? Number.POSITIVE_INFINITY };
  }

  setSlow(ms: number, bytesPerSecond: number): void {
    if (this.slow) this.timers.cancel(this.slow.timer);
    this.slow = { until: this.clock.now() + ms, bytesPerSecond, timer: undefined };
    this.drip();
  }

  setPaused(paused: boolean): void {
    this.paused = paused;
  }

  /**
   * Ends the writing cleanly, for a response that ends with the terminating
   * chunk: a clean end never cuts a message. What is due goes out as
   * `flush()` sends it; on a slow or stalled link (which holds the queue
   * back), only the frame a drip was in the middle of is completed, and the
   * rest of the queue is never sent. Then `last` (an in-band message such as
   * an operational disconnect) is written whole, and writing stops.
   */
  finish(last: readonly Frame[] = []): void {
    if (this.stopped) return;
    if (this.slow === undefined && !this.paused) this.flush();
    else if (this.headOffset > 0) {
      const head = this.queue.shift() as Frame;
      this.sink.write(head.bytes.subarray(this.headOffset));
      this.headOffset = 0;
      this.onWritten(head);
    }
    for (const frame of last) {
      this.sink.write(frame.bytes);
      this.onWritten(frame);
    }
    this.stop();
  }

  /** Stops writing for good (the connection is ending). */
  stop(): void {
    this.stopped = true;
    if (this.slow) this.timers.cancel(this.slow.timer);
    this.slow = undefined;
  }

  /** Writes raw bytes outside the frame accounting (half a message before a reset). */
  writeRaw(bytes: Uint8Array): void {
    if (bytes.length > 0) this.sink.write(bytes);
  }

  /** Writes every queued frame now, honouring the active split mode. */
  flush(): void {
    if (this.stopped || this.paused || this.slow) return;
    if (this.headOffset > 0) {
      const head = this.queue.shift() as Frame;
      this.sink.write(head.bytes.subarray(this.headOffset));
      this.headOffset = 0;
      this.onWritten(head);
    }
    while (this.queue.length > 0) {
      const split = this.split;
      if (split && (split.mode === 'random' || split.mode === 'coalesce')) {
        const count = Math.min(this.queue.length, split.remaining);
        const run = this.queue.splice(0, count);
        if (split.mode === 'random') {
          for (const piece of splitRandom(concat(run), this.rng)) this.sink.write(piece);
        } else {
          for (let i = 0; i < run.length; ) {
            const group = run.slice(i, i + this.rng.int(2, 5));
            this.sink.write(concat(group));
            i += group.length;
          }
        }
        for (const frame of run) this.onWritten(frame);
        this.consumeSplit(run.length);
        continue;
      }
      const frame = this.queue.shift() as Frame;
      const mode = split?.mode as 'byte' | 'utf8' | 'crlf' | 'cr-lf' | undefined;
      const pieces =
        mode && (frame.kind !== 'keep-alive' || mode === 'cr-lf')
          ? splitMessage(frame.bytes, mode, this.rng, this.terminator)
          : [frame.bytes];
      for (const piece of pieces) this.sink.write(piece);
      this.onWritten(frame);
      if (split) this.consumeSplit(1);
    }
  }

  private consumeSplit(messages: number): void {
    if (!this.split) return;
    this.split.remaining -= messages;
    if (this.split.remaining <= 0) this.split = undefined;
  }

  private drip(): void {
    const slow = this.slow;
    if (!slow || this.stopped) return;
    slow.timer = undefined;
    if (this.clock.now() >= slow.until) {
      this.slow = undefined;
      this.flush();
      return;
    }
    if (!this.paused) {
      let budget = Math.max(1, Math.round((slow.bytesPerSecond * DRIP_EVERY_MS) / 1000));
      const pieces: Uint8Array[] = [];
      const done: Frame[] = [];
      while (budget > 0 && this.queue.length > 0) {
        const head = this.queue[0] as Frame;
        const take = Math.min(budget, head.bytes.length - this.headOffset);
        pieces.push(head.bytes.subarray(this.headOffset, this.headOffset + take));
        this.headOffset += take;
        budget -= take;
        if (this.headOffset === head.bytes.length) {
          this.queue.shift();
          this.headOffset = 0;
          done.push(head);
        }
      }
      if (pieces.length > 0)
        this.sink.write(
          pieces.length === 1
            ? (pieces[0] as Uint8Array)
            : concat(pieces.map((bytes) => ({ kind: 'system', bytes }))),
        );
      for (const frame of done) this.onWritten(frame);
    }
    slow.timer = this.timers.after(DRIP_EVERY_MS, () => this.drip());
  }
}
