import type { FaultType, StreamEndpoint } from '../faults/fault.js';

/** Why a stream connection ended. */
export type CloseReason =
  /** The client closed or aborted it. */
  | 'client'
  /** A `destroy` fault reset it. */
  | 'destroy'
  /** A `close` fault ended it. */
  | 'close'
  /** An `operational-disconnect` fault ended it. */
  | 'operational-disconnect'
  /** The client read too slowly and the server's buffer overflowed (X disconnects slow readers). */
  | 'slow-reader'
  /** The emulator was closed. */
  | 'shutdown'
  /** A `phantom` fault (or a client's TCP reset, with `phantomOnReset`) left the connection counted by the server. */
  | 'phantom'
  /** `DELETE /2/connections…` killed it. */
  | 'killed'
  /** The usage cap (`usageCap`) was reached: the body ends; the next connect gets 429 `usage-capped`. */
  | 'usage-capped'
  /** A `start_time`/`end_time` recovery replayed its window and ended, as X's does. */
  | 'recovery-complete';

/** What one stream connection carried. */
export interface ConnectionStats {
  /** 1, 2, 3… in the order connections were accepted. */
  id: number;
  endpoint: StreamEndpoint;
  /** The `partition` it asked for, on partitioned streams. */
  partition?: number;
  /** Emulated epoch ms. */
  openedAt: number;
  /** Emulated epoch ms; absent while open. */
  closedAt?: number;
  closedBy?: CloseReason;
  /** `backfill_minutes` the client asked for. */
  backfillMinutes: number;
  /** The `start_time`/`end_time` window of a recovery job (emulated epoch ms; no `end` when it stays live). */
  recovery?: { start: number; end?: number };
  /** The client's `User-Agent` header, to tell several clients apart. */
  userAgent: string | undefined;
  /**
   * Every item whose complete message (with its line ending) was written, in
   * order; replayed ones included. An item is named by core's `dedupeKey` for
   * its stream (a post's id on the post streams, the event identity on the
   * compliance streams).
   */
  postIds: string[];
  /** The subset of `postIds` replayed by `backfill_minutes` or a `start_time` recovery. */
  backfilledIds: string[];
  keepAlives: number;
  /** Uncompressed bytes written. */
  bytes: number;
  gzip: boolean;
  /** Types of the faults applied to this connection, in order. */
  faults: FaultType[];
}

/** Why a connection attempt was turned away. */
export type RejectionReason =
  | 'unauthorized'
  | 'unsupported-authentication'
  | 'invalid-request'
  | 'no-rules'
  | 'too-many-connections'
  | 'rate-limit'
  | 'usage-cap'
  | 'server-error';

/** How many connections one stream (one partition of a partitioned stream) ever held at once. */
export interface SlotConcurrency {
  endpoint: StreamEndpoint;
  /** Absent on streams without partitions. */
  partition?: number;
  /** Present on the slot of the stream's `start_time` recovery jobs (X runs 2 at once beside the live connection). */
  recovery?: true;
  /** The most connections open at once, counting an attempt made while the limit was reached. */
  maxConcurrent: number;
}

/** A stream connection attempt that did not get a 200. */
export interface RejectedConnection {
  /** Emulated epoch ms. */
  at: number;
  endpoint: StreamEndpoint;
  status: number;
  reason: RejectionReason;
  /** The client's `User-Agent` header. */
  userAgent: string | undefined;
  /** True when an injected fault caused it; false when the client really broke a rule (such as opening a second connection). */
  injected: boolean;
}

/** A fault that took effect. */
export interface AppliedFault {
  /** Emulated epoch ms. */
  at: number;
  type: FaultType;
  /** The connection it hit; absent for connection-attempt faults that rejected the attempt. */
  connectionId?: number;
  endpoint: StreamEndpoint;
  /**
   * For a fault that struck an open stream, the last item of the timeline that connection had
   * reached (sent, or passed over on the filtered stream); absent before the first item.
   */
  atPost?: number;
}

/** Everything the emulator sent, for tests to compare with what a client received. */
export interface EmulatorStats {
  /** The seed in use (pass it back as `seed` to replay the same traffic). */
  seed: number | string;
  /** Stream requests received (accepted or not). */
  connectionAttempts: number;
  /** Stream connections answered with 200. */
  connectionsOpened: number;
  /** Stream connections open right now. */
  openConnections: number;
  /**
   * The most stream connections held open to the same stream at once,
   * counting an attempt made while the limit was already reached (that
   * attempt gets 429 TooManyConnections). With one client and the default
   * `maxConnections: 1`, a well-behaved client keeps this at 1.
   */
  maxConcurrentConnections: number;
  /**
   * The most `start_time`/`end_time` recovery jobs open to one stream at
   * once, counting an attempt made while X's 2 were running (that attempt
   * gets 429 TooManyConnections). Recovery jobs are not counted in
   * `maxConcurrentConnections`.
   */
  maxConcurrentRecoveries: number;
  /**
   * The same per stream and partition, so a test of a partitioned consumer
   * proves no partition ever had two connections: every `maxConcurrent` is 1.
   */
  concurrency: SlotConcurrency[];
  rejected: RejectedConnection[];
  connections: ConnectionStats[];
  /** Post messages written, duplicates included. */
  postsSent: number;
  /** Every distinct post id written on any connection, in the order first sent. */
  uniquePostIds: string[];
  /** Post messages written again on a later connection (backfill replays). */
  duplicatesSent: number;
  keepAlivesSent: number;
  faults: AppliedFault[];
  /** HTTP requests received, on every endpoint. */
  requests: number;
}

function copyConnection(c: ConnectionStats): ConnectionStats {
  return {
    ...c,
    postIds: [...c.postIds],
    backfilledIds: [...c.backfilledIds],
    faults: [...c.faults],
    ...(c.recovery ? { recovery: { ...c.recovery } } : {}),
  };
}

/** Records what the emulator sends; `snapshot()` is what `stats()` returns. */
export class StatsRecorder {
  private readonly connections: ConnectionStats[] = [];
  private readonly open = new Map<number, ConnectionStats>();
  private readonly seen = new Set<string>();
  private readonly unique: string[] = [];
  private readonly rejected: RejectedConnection[] = [];
  private readonly faults: AppliedFault[] = [];
  private attempts = 0;
  private postsSent = 0;
  private duplicates = 0;
  private keepAlives = 0;
  private maxConcurrent = 0;
  private maxRecoveries = 0;
  private readonly slots = new Map<string, SlotConcurrency>();
  private requests = 0;

  constructor(private readonly seed: number | string) {}

  request(): void {
    this.requests++;
  }

  /** A connection attempt, with what was open in its slot (a recovery job counts in its own). */
  attempt(
    endpoint: StreamEndpoint,
    partition: number | undefined,
    concurrent: number,
    recovery = false,
  ): void {
    this.attempts++;
    if (recovery) this.maxRecoveries = Math.max(this.maxRecoveries, concurrent);
    else this.maxConcurrent = Math.max(this.maxConcurrent, concurrent);
    const key = `${endpoint}#${partition ?? ''}${recovery ? '#recovery' : ''}`;
    let slot = this.slots.get(key);
    if (!slot) {
      slot = {
        endpoint,
        ...(partition === undefined ? {} : { partition }),
        ...(recovery ? { recovery: true } : {}),
        maxConcurrent: 0,
      };
      this.slots.set(key, slot);
    }
    slot.maxConcurrent = Math.max(slot.maxConcurrent, concurrent);
  }

  reject(entry: RejectedConnection): void {
    this.rejected.push(entry);
  }

  opened(entry: ConnectionStats): void {
    this.connections.push(entry);
    this.open.set(entry.id, entry);
  }

  closed(id: number, at: number, by: CloseReason): void {
    const entry = this.open.get(id);
    if (!entry) return;
    entry.closedAt = at;
    entry.closedBy = by;
    this.open.delete(id);
  }

  post(connectionId: number, id: string, backfill: boolean, bytes: number): void {
    const entry = this.open.get(connectionId);
    if (!entry) return;
    entry.postIds.push(id);
    if (backfill) entry.backfilledIds.push(id);
    entry.bytes += bytes;
    this.postsSent++;
    if (this.seen.has(id)) this.duplicates++;
    else {
      this.seen.add(id);
      this.unique.push(id);
    }
  }

  keepAlive(connectionId: number, bytes: number): void {
    const entry = this.open.get(connectionId);
    if (!entry) return;
    entry.keepAlives++;
    entry.bytes += bytes;
    this.keepAlives++;
  }

  otherBytes(connectionId: number, bytes: number): void {
    const entry = this.open.get(connectionId);
    if (entry) entry.bytes += bytes;
  }

  fault(applied: AppliedFault): void {
    this.faults.push(applied);
    if (applied.connectionId !== undefined)
      this.open.get(applied.connectionId)?.faults.push(applied.type);
  }

  snapshot(): EmulatorStats {
    return {
      seed: this.seed,
      connectionAttempts: this.attempts,
      connectionsOpened: this.connections.length,
      openConnections: this.open.size,
      maxConcurrentConnections: this.maxConcurrent,
      maxConcurrentRecoveries: this.maxRecoveries,
      concurrency: [...this.slots.values()].map((slot) => ({ ...slot })),
      rejected: this.rejected.map((r) => ({ ...r })),
      connections: this.connections.map(copyConnection),
      postsSent: this.postsSent,
      uniquePostIds: [...this.unique],
      duplicatesSent: this.duplicates,
      keepAlivesSent: this.keepAlives,
      faults: this.faults.map((f) => ({ ...f })),
      requests: this.requests,
    };
  }
}
