import type { DriftKind, LagStat, StreamLifecycleEvent } from '@birdstream/core';

/** What a stream's connection is doing, for the `stream_state` gauge. */
export type StreamState = 'connecting' | 'connected' | 'reconnecting' | 'closed';

export const STREAM_STATES: readonly StreamState[] = [
  'connecting',
  'connected',
  'reconnecting',
  'closed',
];

/** The counters a stream keeps in its `stats` (core), read at scrape time. */
export interface PulledFigures {
  posts: number;
  messages: number;
  bytes: number;
  /** Epoch ms of the last byte, by the stream's clock. */
  lastByteAt: number | undefined;
  /** `stats.unrecognized`. */
  unrecognized: number;
  /** `stats.drift` summed per kind (over field paths). */
  drift: Map<string, number>;
}

/** The drift kinds of core's tolerant reader: each has a series (0 until seen). */
export const DRIFT_KINDS: readonly DriftKind[] = ['coerced', 'set-aside'];

/** Nothing pulled yet. */
export function emptyPulled(): PulledFigures {
  return {
    posts: 0,
    messages: 0,
    bytes: 0,
    lastByteAt: undefined,
    unrecognized: 0,
    drift: new Map(DRIFT_KINDS.map((kind) => [kind, 0])),
  };
}

/** `into += from`. */
function addPulled(into: PulledFigures, from: PulledFigures): void {
  into.posts += from.posts;
  into.messages += from.messages;
  into.bytes += from.bytes;
  into.lastByteAt = latest(into.lastByteAt, from.lastByteAt);
  into.unrecognized += from.unrecognized;
  for (const [kind, count] of from.drift) into.drift.set(kind, (into.drift.get(kind) ?? 0) + count);
}

/** Recovery windows that ended with one outcome. */
export interface RecoveryFigures {
  windows: number;
  seconds: number;
}

/**
 * The figures of one stream (or one partition of it), under one `stream`
 * name: counted from lifecycle events as they happen, plus what the
 * stream's `stats` keep, pulled at scrape time. Several streams tracked
 * under one name add up; a stream untracked leaves its final counts behind,
 * so counters never go back.
 */
export class StreamFigures {
  keepAlives = 0;
  duplicates = 0;
  readonly invalid = new Map<string, number>();
  connections = 0;
  readonly reconnects = new Map<string, number>();
  stalls = 0;
  backfills = 0;
  backfillSeconds = 0;
  readonly recoveries = new Map<string, RecoveryFigures>();
  recoveredPosts = 0;
  state: StreamState = 'connecting';
  lag: LagStat | undefined;
  /** Posts counted from `response` events (rx), when no `stats` are pulled. */
  postsFromEvents = 0;
  /**
   * True for an rx observer, whose `response` events are the posts. An
   * Ingestor's partitions neither forward responses nor have `stats`: no
   * posts series for them (a 0 would lie; `birdstream_ingest_received_total`
   * counts them).
   */
  countsResponses = false;
  /** `backfill_minutes` of the request in flight (from its `connecting` event). */
  #pendingBackfill: number | undefined;
  /** `connecting` events arrive (core, rx): backfill is counted when such a request connects. */
  #seesConnecting = false;
  /** What untracked streams left behind. */
  readonly #base: PulledFigures = emptyPulled();
  readonly #sources = new Set<() => PulledFigures>();
  /** The pulled figures of the scrape under way. */
  #pulled: PulledFigures | undefined;

  constructor(
    readonly stream: string,
    readonly partition: number | undefined,
  ) {}

  /** The Prometheus labels of this stream. */
  get labels(): Record<string, string> {
    return this.partition === undefined
      ? { stream: this.stream }
      : { stream: this.stream, partition: String(this.partition) };
  }

  /** True once a `stats` source was ever attached (core streams): the pulled figures exist. */
  get pulls(): boolean {
    return this.#sources.size > 0 || this.#pulledOnce;
  }
  #pulledOnce = false;

  /** Reads `source` at every scrape; the returned function folds its last figures in and stops. */
  attach(source: () => PulledFigures): () => void {
    this.#sources.add(source);
    this.#pulledOnce = true;
    this.#pulled = undefined;
    return () => {
      if (!this.#sources.delete(source)) return;
      addPulled(this.#base, source());
      this.#pulled = undefined;
    };
  }

  /**
   * The pulled counters now: what untracked streams left plus every live
   * source. Read once per scrape: the figures are kept until the current
   * task's microtasks have run, which covers every family's `collect()` of
   * one `registry.metrics()`, so the families of one scrape agree.
   */
  pulled(): PulledFigures {
    if (this.#pulled !== undefined) return this.#pulled;
    const sum = emptyPulled();
    addPulled(sum, this.#base);
    for (const source of this.#sources) addPulled(sum, source());
    this.#pulled = sum;
    queueMicrotask(() => {
      if (this.#pulled === sum) this.#pulled = undefined;
    });
    return sum;
  }

  #countBackfill(minutes: number): void {
    this.backfills++;
    this.backfillSeconds += minutes * 60;
  }

  /** Counts one lifecycle event (core's, rx's, or forwarded by an Ingestor). */
  apply(event: StreamLifecycleEvent | { type: 'response' }): void {
    switch (event.type) {
      case 'response':
        this.postsFromEvents++;
        return;
      case 'connecting':
        this.#seesConnecting = true;
        this.#pendingBackfill = event.backfillMinutes;
        this.state = 'connecting';
        return;
      case 'connected':
        this.connections++;
        this.state = 'connected';
        // A backfill counts once X accepted the request that carried it.
        if (this.#pendingBackfill !== undefined) this.#countBackfill(this.#pendingBackfill);
        this.#pendingBackfill = undefined;
        return;
      case 'keep-alive':
        this.keepAlives++;
        return;
      case 'duplicate':
        this.duplicates++;
        return;
      case 'payload-invalid':
        increment(this.invalid, event.error.kind);
        return;
      case 'reconnecting':
        increment(this.reconnects, event.failure);
        this.state = 'reconnecting';
        return;
      case 'stalled':
        this.stalls++;
        return;
      case 'backfill':
        // Only from a source that forwards no `connecting` events (an Ingestor's partitions).
        if (!this.#seesConnecting) this.#countBackfill(event.minutes);
        return;
      case 'recovery': {
        if (event.phase === 'completed' || event.phase === 'failed') {
          this.recoveredPosts += event.posts ?? 0;
        }
        if (event.phase === 'scheduled' || event.phase === 'started') return;
        const figures = this.recoveries.get(event.phase) ?? { windows: 0, seconds: 0 };
        figures.windows++;
        figures.seconds += Math.max(0, event.endTime - event.startTime) / 1000;
        this.recoveries.set(event.phase, figures);
        return;
      }
      case 'lag':
        this.lag = event.lag;
        return;
      case 'error':
      case 'closed':
        this.state = 'closed';
        return;
      default:
        return;
    }
  }
}

function increment(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function latest(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.max(a, b);
}
