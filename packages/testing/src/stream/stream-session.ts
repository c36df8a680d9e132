import type { StreamEndpointInfo } from '@birdstream/core';
import type { EmulatedClock, EmulatedTimer, TimerGroup } from '../engine/emulated-clock.js';
import type { EventHub } from '../engine/events.js';
import { operationalDisconnectMessage, slowReaderMessage } from '../engine/problems.js';
import type { CloseReason, StatsRecorder } from '../engine/stats.js';
import type { RecoveryWindow } from '../engine/stream-query.js';
import type { Fault, StreamEndpoint } from '../faults/fault.js';
import {
  FAULTS,
  type FaultTarget,
  isConnectionFault,
  type StreamFault,
  type StreamFaultSpec,
} from '../faults/fault-table.js';
import type { RuleStore } from '../rules/rule-store.js';
import { type PayloadDrift, reshapeFor } from '../traffic/drift/playground-drift.js';
import type { Feeds } from '../traffic/feeds/feeds.js';
import type { FieldSelection } from '../traffic/field-selection.js';
import type { Prng } from '../traffic/prng.js';
import { toXJson } from '../traffic/x-json.js';
import { utf8CutPoint } from './chunking.js';
import { type Frame, FrameWriter } from './frame-writer.js';
import { type Framing, frameJson, keepAliveBytes, terminatorLength } from './framing.js';
import type { StreamSink } from './sink.js';

/** What every stream session shares with the emulator. */
export interface SessionContext {
  clock: EmulatedClock;
  timers: TimerGroup;
  feeds: Feeds;
  rules: RuleStore;
  stats: StatsRecorder;
  events: EventHub;
  /** Emulated ms between keep-alives. */
  keepAliveMs: number;
  escapeNonBmp: boolean;
  /** Bytes the client may leave unread before X drops it as a slow reader. */
  slowReaderBytes: number;
  /** Emulated ms a client may leave bytes unread before it is dropped with an in-band SlowReader message; `undefined`: never. */
  slowReaderMs: number | undefined;
  /** Payload shapes (`drift` option): the spec's, or X's playground's. */
  drift: PayloadDrift;
  seed: number;
  /** Whether a client's TCP reset leaves a phantom connection behind. */
  phantomOnReset: boolean;
  /** Counts a delivered post for `/2/usage/tweets`; returns whether the usage cap is now reached. */
  delivered(postId: string): boolean;
  /** The faults pinned to posts (`atPost`) that are due now that a connection of `endpoint` reached item `index`. */
  faultsAt(endpoint: StreamEndpoint, index: number): readonly Fault[];
  /** Injects a fault as `emu.inject()` does (a connection fault answers the next attempt). */
  inject(fault: Fault): void;
}

/** One accepted stream connection. */
export interface SessionInit {
  id: number;
  endpoint: StreamEndpoint;
  /** What limits concurrent connections: the stream, and the partition on partitioned streams. */
  slot: string;
  /** The stream's row of core's endpoint table. */
  row: StreamEndpointInfo;
  /** 1-based partition on partitioned streams. */
  partition: number | undefined;
  selection: FieldSelection;
  backfillMinutes: number;
  /** `start_time`/`end_time` recovery. */
  recovery: RecoveryWindow | undefined;
  gzip: boolean;
  userAgent: string | undefined;
  rng: Prng;
  /** How this stream delimits messages (the `framing` option, or the stream's under `drift`). */
  framing: Framing;
}

const MAX_POSTS_PER_TICK = 500;
/** How the session ends with the terminating chunk (the others reset or leave the socket). */
const CLEAN_ENDS: ReadonlySet<CloseReason> = new Set<CloseReason>([
  'close',
  'operational-disconnect',
  'recovery-complete',
  'usage-capped',
  'killed',
]);
/** Real ms between ending a slow reader's body and resetting its socket. */
const END_THEN_RESET_MS = 500;

interface Armed {
  fault: StreamFault;
  postsLeft: number;
}

/**
 * Streams one family's emulated timeline to one client: the items created
 * while it is connected (matched against the rules on the filtered stream,
 * only those of its partition on a partitioned stream), a backfill replay on
 * connect or a `start_time`/`end_time` recovery replay, keep-alives every
 * 20 s of emulated time, and the faults armed on it.
 */
export class StreamSession {
  readonly id: number;
  readonly endpoint: StreamEndpoint;
  readonly slot: string;
  private readonly writer: FrameWriter;
  private sink: StreamSink | undefined;
  private nextIndex = 0;
  /** The last item this connection reached (recorded with the faults that strike it). */
  private reached: number | undefined;
  /** Items before this index were created before the connection opened (a replay). */
  private liveFrom = 0;
  /** A recovery with `end_time` ends the connection at this index. */
  private endIndex: number | undefined;
  private nextKeepAlive = 0;
  private stalledUntil = 0;
  private timer: EmulatedTimer | undefined;
  private armed: Armed[] = [];
  private closed = false;
  private readonly finishedListeners: ((reason: CloseReason) => void)[] = [];
  /** Emulated ms since which the client has left bytes unread. */
  private unreadSince: number | undefined;
  /** Set once an in-band disconnect message was queued: end the body, then reset. */
  private endThenReset = false;

  constructor(
    private readonly ctx: SessionContext,
    private readonly init: SessionInit,
    sink: StreamSink,
  ) {
    this.id = init.id;
    this.endpoint = init.endpoint;
    this.slot = init.slot;
    this.sink = sink;
    this.writer = new FrameWriter(
      sink,
      ctx.clock,
      ctx.timers,
      init.rng,
      (frame) => this.written(frame),
      terminatorLength(init.framing),
    );
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Called once the session has ended, for whatever reason. */
  onFinished(listener: (reason: CloseReason) => void): void {
    this.finishedListeners.push(listener);
  }

  /**
   * Opens the stream: arms `faults` (so `afterPosts` counts from the very
   * first post), replays the backfill window, then follows the live timeline.
   */
  start(faults: readonly StreamFault[] = []): void {
    const { clock, stats, events } = this.ctx;
    const timeline = this.ctx.feeds.of(this.init.row.family).timeline;
    const now = clock.now();
    stats.opened({
      id: this.id,
      endpoint: this.endpoint,
      ...(this.init.partition === undefined ? {} : { partition: this.init.partition }),
      openedAt: now,
      backfillMinutes: this.init.backfillMinutes,
      ...(this.init.recovery ? { recovery: { ...this.init.recovery } } : {}),
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
      partition: this.init.partition,
      backfillMinutes: this.init.backfillMinutes,
      gzip: this.init.gzip,
      userAgent: this.init.userAgent,
    });
    this.sink?.onClose((abrupt) =>
      this.finish(abrupt && this.ctx.phantomOnReset ? 'phantom' : 'client'),
    );
    for (const fault of faults) {
      // The client left before it could strike (or an earlier fault ended this connection):
      // it waits for the next connection, as it did for this one.
      if (this.closed) this.ctx.inject(fault);
      else this.armFault(fault);
    }
    if (this.closed) return;
    const live = timeline.firstAtOrAfter(now);
    this.liveFrom = live;
    this.nextKeepAlive = now + this.ctx.keepAliveMs;
    const recovery = this.init.recovery;
    if (recovery) {
      // Recovery replays the window the same way, then stays live, or ends
      // once `end_time` is reached.
      this.nextIndex = timeline.firstAtOrAfter(recovery.start);
      if (recovery.end !== undefined) this.endIndex = timeline.firstAtOrAfter(recovery.end);
    } else {
      // X replays the backfill window as is (items the client already has come
      // again), before the live items; in batches, so a long replay never
      // holds the event loop.
      this.nextIndex =
        this.init.backfillMinutes > 0
          ? timeline.firstAtOrAfter(now - this.init.backfillMinutes * 60_000)
          : live;
    }
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

  /** Ends the connection from the server side (a kill through the Connections API). */
  kill(): void {
    this.finish('killed');
  }

  /** Sends an in-band error message behind whatever is due, ends the body, then resets it. */
  private disconnectWith(message: Record<string, unknown>, reason: CloseReason): void {
    this.writer.finish([{ kind: 'system', bytes: frameJson(toXJson(message), this.init.framing) }]);
    this.endThenReset = true;
    this.finish(reason);
  }

  /** Ends the session from the server side (emulator shutdown). */
  shutdown(): void {
    this.finish('shutdown');
  }

  private tick(): void {
    this.timer = undefined;
    if (this.closed) return;
    const { clock, keepAliveMs } = this.ctx;
    const timeline = this.ctx.feeds.of(this.init.row.family).timeline;
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
      (this.endIndex === undefined || this.nextIndex < this.endIndex) &&
      timeline.timeOf(this.nextIndex) <= now
    ) {
      // Keep-alives go between the posts they fell between, however long this tick covers.
      this.keepAlivesUntil(timeline.timeOf(this.nextIndex));
      this.consider(this.nextIndex, this.nextIndex < this.liveFrom);
      this.nextIndex++;
      considered++;
    }
    if (this.closed) return;
    if (this.endIndex !== undefined && this.nextIndex >= this.endIndex) {
      this.writer.flush();
      this.finish('recovery-complete');
      return;
    }
    if (this.stalledUntil === 0) this.keepAlivesUntil(now);
    this.writer.flush();
    if (this.sink && this.sink.bufferedBytes() > this.ctx.slowReaderBytes) {
      this.finish('slow-reader');
      return;
    }
    if (this.sink && this.ctx.slowReaderMs !== undefined) {
      if (this.sink.bufferedBytes() === 0) this.unreadSince = undefined;
      else {
        this.unreadSince ??= now;
        if (now - this.unreadSince >= this.ctx.slowReaderMs) {
          this.disconnectWith(slowReaderMessage(), 'slow-reader');
          return;
        }
      }
    }
    if (this.stalledUntil > 0) {
      this.reschedule(this.stalledUntil - now);
      return;
    }
    const next =
      considered >= MAX_POSTS_PER_TICK
        ? now
        : Math.min(timeline.timeOf(this.nextIndex), this.nextKeepAlive);
    this.reschedule(next - now);
  }

  /**
   * Every keep-alive due at or before `time` (emulated ms), in order: what goes on the wire
   * depends on emulated time only, not on how often a busy machine gets to run a tick.
   */
  private keepAlivesUntil(time: number): void {
    while (this.nextKeepAlive <= time) {
      this.writer.enqueue({ kind: 'keep-alive', bytes: keepAliveBytes(this.init.framing) });
      this.nextKeepAlive += this.ctx.keepAliveMs;
    }
  }

  private reschedule(delay: number): void {
    if (this.closed) return;
    this.ctx.timers.cancel(this.timer);
    this.timer = this.ctx.timers.after(Math.max(0, delay), () => this.tick());
  }

  private frameFor(n: number, backfill: boolean): Frame | undefined {
    const { row, partition, selection } = this.init;
    const { feeds } = this.ctx;
    if (
      row.partitions &&
      partition !== undefined &&
      feeds.partitionOf(row.family, n, row.partitions.max) !== partition
    )
      return undefined;
    const spec = feeds.of(row.family).message(n, { row, selection, rules: this.ctx.rules });
    if (!spec) return undefined;
    const message = reshapeFor(row.family, this.ctx.drift, spec, n, this.ctx.seed);
    const json = toXJson(message, this.ctx.escapeNonBmp);
    return {
      kind: 'post',
      bytes: frameJson(json, this.init.framing),
      postId: row.dedupeKey(message) ?? `${row.family}:${n}`,
      backfill,
    };
  }

  private consider(n: number, backfill: boolean): void {
    this.reached = n;
    const frame = this.frameFor(n, backfill);
    if (frame) {
      this.writer.enqueue(frame);
      this.countDownArmed();
    }
    // Faults pinned to this item strike the stream that reaches it (a recovery job does not count).
    if (this.init.recovery || this.closed) return;
    for (const fault of this.ctx.faultsAt(this.endpoint, n)) {
      if (isConnectionFault(fault) || this.closed) this.ctx.inject(fault);
      else this.armFault(fault);
    }
  }

  /** One more post sent: strikes the armed faults whose `afterPosts` are now behind. */
  private countDownArmed(): void {
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
      ...(this.reached === undefined ? {} : { atPost: this.reached }),
    };
    this.ctx.stats.fault(applied);
    this.ctx.events.emit({ type: 'fault', fault: applied });
  }

  private trigger(fault: StreamFault): void {
    // What was due before the fault goes out first, so the wire, the stats and
    // the events all show the fault after the posts that preceded it.
    this.writer.flush();
    this.record(fault);
    (FAULTS[fault.type] as StreamFaultSpec<StreamFault>).strike(fault, this.target);
  }

  /** What the fault table's stream faults act on. */
  private readonly target: FaultTarget = {
    split: (mode, messages) => this.writer.setSplit(mode, messages),
    slow: (ms, bytesPerSecond) => this.writer.setSlow(ms, bytesPerSecond),
    stall: (ms) => {
      this.stalledUntil = this.ctx.clock.now() + ms;
      this.writer.setPaused(true);
      this.reschedule(ms);
    },
    destroy: () => {
      const next = this.peekNextFrame();
      if (next)
        this.writer.writeRaw(
          next.bytes.subarray(
            0,
            utf8CutPoint(
              next.bytes.subarray(0, next.bytes.length - terminatorLength(this.init.framing)),
              this.init.rng,
            ),
          ),
        );
      this.finish('destroy');
    },
    close: () => this.finish('close'),
    operationalDisconnect: () => {
      // The message goes out whole, even on a slow or stalled link.
      const bytes = frameJson(toXJson(operationalDisconnectMessage()), this.init.framing);
      this.writer.finish([{ kind: 'system', bytes }]);
      this.finish('operational-disconnect');
    },
    vanish: () => this.finish('phantom'),
  };

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
      if (this.init.row.family === 'posts' && this.ctx.delivered(frame.postId) && !this.closed)
        queueMicrotask(() => this.finish('usage-capped'));
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
    const clean = this.endThenReset || CLEAN_ENDS.has(reason);
    // A clean end completes the message in flight (a slow drip's); a reset cuts it.
    if (clean) this.writer.finish();
    else this.writer.stop();
    this.ctx.stats.closed(this.id, this.ctx.clock.now(), reason);
    this.ctx.events.emit({ type: 'disconnected', connectionId: this.id, reason });
    const sink = this.sink;
    this.sink = undefined;
    if (sink) {
      if (this.endThenReset) {
        // X force-closes a slow reader: the message may never be read.
        sink.end();
        setTimeout(() => sink.destroy(), END_THEN_RESET_MS).unref?.();
      } else if (clean) sink.end();
      else if (reason !== 'client') sink.destroy();
    }
    for (const listener of this.finishedListeners) listener(reason);
  }
}
