import type { EmulatedClock, EmulatedTimer, TimerGroup } from '../engine/emulated-clock.js';
import type { EventHub } from '../engine/events.js';
import { operationalDisconnectMessage } from '../engine/problems.js';
import type { CloseReason, StatsRecorder } from '../engine/stats.js';
import type { StreamEndpoint, StreamFault } from '../faults/fault.js';
import type { RuleStore } from '../rules/rule-store.js';
import type { FieldSelection } from '../traffic/field-selection.js';
import type { PostSource } from '../traffic/post-source.js';
import type { Prng } from '../traffic/prng.js';
import { renderMessage } from '../traffic/render.js';
import { toXJson } from '../traffic/x-json.js';
import { utf8CutPoint } from './chunking.js';
import { type Frame, FrameWriter } from './frame-writer.js';
import type { StreamSink } from './sink.js';

/** What every stream session shares with the emulator. */
export interface SessionContext {
  clock: EmulatedClock;
  timers: TimerGroup;
  posts: PostSource;
  rules: RuleStore;
  stats: StatsRecorder;
  events: EventHub;
  /** Emulated ms between keep-alives. */
  keepAliveMs: number;
  escapeNonBmp: boolean;
  /** Bytes the client may leave unread before X drops it as a slow reader. */
  slowReaderBytes: number;
}

/** One accepted stream connection. */
export interface SessionInit {
  id: number;
  endpoint: StreamEndpoint;
  selection: FieldSelection;
  backfillMinutes: number;
  gzip: boolean;
  userAgent: string | undefined;
  rng: Prng;
}

const CRLF = new Uint8Array([0x0d, 0x0a]);
const MAX_POSTS_PER_TICK = 2000;
const encoder = new TextEncoder();

interface Armed {
  fault: StreamFault;
  postsLeft: number;
}

/**
 * Streams the emulated timeline to one client: the posts created while it is
 * connected (matched against the rules on the filtered stream), a backfill
 * replay on connect, keep-alives every 20 s of emulated time, and the faults
 * armed on it.
 */
export class StreamSession {
  readonly id: number;
  readonly endpoint: StreamEndpoint;
  private readonly writer: FrameWriter;
  private sink: StreamSink | undefined;
  private nextIndex = 0;
  private nextKeepAlive = 0;
  private stalledUntil = 0;
  private timer: EmulatedTimer | undefined;
  private armed: Armed[] = [];
  private closed = false;
  private readonly finishedListeners: (() => void)[] = [];

  constructor(
    private readonly ctx: SessionContext,
    private readonly init: SessionInit,
    sink: StreamSink,
  ) {
    this.id = init.id;
    this.endpoint = init.endpoint;
    this.sink = sink;
    this.writer = new FrameWriter(sink, ctx.clock, ctx.timers, init.rng, (frame) =>
      this.written(frame),
    );
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Called once the session has ended, for whatever reason. */
  onFinished(listener: () => void): void {
    this.finishedListeners.push(listener);
  }

  /**
   * Opens the stream: arms `faults` (so `afterPosts` counts from the very
   * first post), replays the backfill window, then follows the live timeline.
   */
  start(faults: readonly StreamFault[] = []): void {
    const { clock, posts, stats, events } = this.ctx;
    const now = clock.now();
    stats.opened({
      id: this.id,
      endpoint: this.endpoint,
      openedAt: now,
      backfillMinutes: this.init.backfillMinutes,
      userAgent: this.init.userAgent,
      postIds: [],
      backfilledIds: [],
      keepAlives: 0,
      bytes: 0,
      gzip: this.init.gzip,
      faults: [],
    });
    events.emit({
      type: 'connected',
      connectionId: this.id,
      endpoint: this.endpoint,
      backfillMinutes: this.init.backfillMinutes,
      gzip: this.init.gzip,
      userAgent: this.init.userAgent,
    });
    this.sink?.onClose(() => this.finish('client'));
    for (const fault of faults) if (!this.closed) this.armFault(fault);
    if (this.closed) return;
    const live = posts.timeline.firstAtOrAfter(now);
    this.nextKeepAlive = now + this.ctx.keepAliveMs;
    if (this.init.backfillMinutes > 0) {
      // X replays the window as is: posts the client already has come again.
      const from = posts.timeline.firstAtOrAfter(now - this.init.backfillMinutes * 60_000);
      for (let n = from; n < live && !this.closed; n++) this.consider(n, true);
    }
    this.nextIndex = live;
    this.tick();
  }

  /** Arms a fault on this open connection. */
  arm(fault: StreamFault): void {
    if (this.closed) return;
    this.armFault(fault);
    this.reschedule(0);
  }

  private armFault(fault: StreamFault): void {
    const postsLeft = fault.afterPosts ?? 0;
    if (postsLeft === 0) this.trigger(fault);
    else this.armed.push({ fault, postsLeft });
  }

  /** Ends the session from the server side (emulator shutdown). */
  shutdown(): void {
    this.finish('shutdown');
  }

  private tick(): void {
    this.timer = undefined;
    if (this.closed) return;
    const { clock, posts, keepAliveMs } = this.ctx;
    const now = clock.now();
    if (this.stalledUntil > now) {
      this.reschedule(this.stalledUntil - now);
      return;
    }
    if (this.stalledUntil > 0) {
      this.stalledUntil = 0;
      this.writer.setPaused(false);
      while (this.nextKeepAlive <= now) this.nextKeepAlive += keepAliveMs;
    }
    let considered = 0;
    while (
      !this.closed &&
      this.stalledUntil === 0 &&
      considered < MAX_POSTS_PER_TICK &&
      posts.timeline.timeOf(this.nextIndex) <= now
    ) {
      this.consider(this.nextIndex, false);
      this.nextIndex++;
      considered++;
    }
    if (this.closed) return;
    if (this.stalledUntil === 0 && this.nextKeepAlive <= now) {
      this.writer.enqueue({ kind: 'keep-alive', bytes: CRLF });
      while (this.nextKeepAlive <= now) this.nextKeepAlive += keepAliveMs;
    }
    this.writer.flush();
    if (this.sink && this.sink.bufferedBytes() > this.ctx.slowReaderBytes) {
      this.finish('slow-reader');
      return;
    }
    if (this.stalledUntil > 0) {
      this.reschedule(this.stalledUntil - now);
      return;
    }
    const next =
      considered >= MAX_POSTS_PER_TICK
        ? now
        : Math.min(posts.timeline.timeOf(this.nextIndex), this.nextKeepAlive);
    this.reschedule(next - now);
  }

  private reschedule(delay: number): void {
    if (this.closed) return;
    this.ctx.timers.cancel(this.timer);
    this.timer = this.ctx.timers.after(Math.max(0, delay), () => this.tick());
  }

  private frameFor(n: number, backfill: boolean): Frame | undefined {
    const post = this.ctx.posts.get(n);
    let matching: ReturnType<RuleStore['match']> | undefined;
    if (this.endpoint === 'filter') {
      matching = this.ctx.rules.match(post.match);
      if (matching.length === 0) return undefined;
    }
    const json = toXJson(
      renderMessage(post.world, this.init.selection, matching),
      this.ctx.escapeNonBmp,
    );
    return {
      kind: 'post',
      bytes: encoder.encode(`${json}\r\n`),
      postId: post.world.tweet.id,
      backfill,
    };
  }

  private consider(n: number, backfill: boolean): void {
    const frame = this.frameFor(n, backfill);
    if (!frame) return;
    this.writer.enqueue(frame);
    if (this.armed.length === 0) return;
    const due: StreamFault[] = [];
    for (const entry of this.armed) {
      entry.postsLeft--;
      if (entry.postsLeft === 0) due.push(entry.fault);
    }
    this.armed = this.armed.filter((e) => e.postsLeft > 0);
    for (const fault of due) if (!this.closed) this.trigger(fault);
  }

  private record(fault: StreamFault): void {
    const applied = {
      at: this.ctx.clock.now(),
      type: fault.type,
      connectionId: this.id,
      endpoint: this.endpoint,
    };
    this.ctx.stats.fault(applied);
    this.ctx.events.emit({ type: 'fault', fault: applied });
  }

  private trigger(fault: StreamFault): void {
    // What was due before the fault goes out first, so the wire, the stats and
    // the events all show the fault after the posts that preceded it.
    this.writer.flush();
    this.record(fault);
    switch (fault.type) {
      case 'split':
        this.writer.setSplit(fault.mode, fault.messages);
        return;
      case 'slow':
        this.writer.setSlow(fault.ms, fault.bytesPerSecond ?? 512);
        return;
      case 'stall':
        this.writer.flush();
        this.stalledUntil = this.ctx.clock.now() + fault.ms;
        this.writer.setPaused(true);
        this.reschedule(fault.ms);
        return;
      case 'destroy': {
        this.writer.flush();
        const next = this.peekNextFrame();
        if (next)
          this.writer.writeRaw(
            next.bytes.subarray(
              0,
              utf8CutPoint(next.bytes.subarray(0, next.bytes.length - 2), this.init.rng),
            ),
          );
        this.finish('destroy');
        return;
      }
      case 'close':
        this.writer.flush();
        this.finish('close');
        return;
      case 'operational-disconnect': {
        this.writer.flush();
        const bytes = encoder.encode(`${toXJson(operationalDisconnectMessage())}\r\n`);
        this.writer.enqueue({ kind: 'system', bytes });
        this.writer.flush();
        this.finish('operational-disconnect');
        return;
      }
    }
  }

  /** The next post this connection would send (for writing half of it before a reset). */
  private peekNextFrame(): Frame | undefined {
    for (let n = this.nextIndex; n < this.nextIndex + 500; n++) {
      const frame = this.frameFor(n, false);
      if (frame) return frame;
    }
    return undefined;
  }

  private written(frame: Frame): void {
    const { stats, events } = this.ctx;
    if (frame.kind === 'post' && frame.postId !== undefined) {
      stats.post(this.id, frame.postId, frame.backfill === true, frame.bytes.length);
      if (events.has('post'))
        events.emit({
          type: 'post',
          connectionId: this.id,
          id: frame.postId,
          backfill: frame.backfill === true,
        });
    } else if (frame.kind === 'keep-alive') {
      stats.keepAlive(this.id, frame.bytes.length);
      if (events.has('keep-alive')) events.emit({ type: 'keep-alive', connectionId: this.id });
    } else {
      stats.otherBytes(this.id, frame.bytes.length);
    }
  }

  private finish(reason: CloseReason): void {
    if (this.closed) return;
    this.closed = true;
    this.ctx.timers.cancel(this.timer);
    this.timer = undefined;
    this.writer.stop();
    this.ctx.stats.closed(this.id, this.ctx.clock.now(), reason);
    this.ctx.events.emit({ type: 'disconnected', connectionId: this.id, reason });
    const sink = this.sink;
    this.sink = undefined;
    if (sink) {
      if (reason === 'close' || reason === 'operational-disconnect') sink.end();
      else if (reason !== 'client') sink.destroy();
    }
    for (const listener of this.finishedListeners) listener();
  }
}
