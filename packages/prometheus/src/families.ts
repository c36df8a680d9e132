/**
 * Every metric family this package exposes: its name (after the prefix),
 * type, help text and label names. One place, so the README's table, the
 * collectors and the tests read the same list. Names follow Prometheus
 * conventions: `_total` for counters, base units (`_seconds`, `_bytes`),
 * and only bounded label values (a stream's name, a partition number, a
 * failure class, a worker's name; never a post id).
 */
export interface FamilySpec {
  readonly name: string;
  readonly type: 'counter' | 'gauge';
  readonly help: string;
  readonly labels: readonly string[];
}

/** The labels of every stream family: the name given to `trackStream`, and the partition if any. */
const STREAM = ['stream', 'partition'] as const;
/** The labels of every ingest family: this worker's lease owner name, and the partition. */
const INGEST = ['worker', 'partition'] as const;

function family(
  name: string,
  type: FamilySpec['type'],
  help: string,
  labels: readonly string[],
): FamilySpec {
  return { name, type, help, labels };
}

export const STREAM_FAMILIES = {
  posts: family(
    'stream_posts_total',
    'counter',
    'Posts handed to the consumer (after dedupe).',
    STREAM,
  ),
  messages: family(
    'stream_messages_total',
    'counter',
    'Stream messages received: posts, duplicates and error-only messages; not keep-alives.',
    STREAM,
  ),
  keepAlives: family(
    'stream_keep_alives_total',
    'counter',
    'Keep-alives received (X sends one at least every 20 s).',
    STREAM,
  ),
  bytes: family(
    'stream_received_bytes_total',
    'counter',
    'Body bytes received on the stream connections, after decompression.',
    STREAM,
  ),
  duplicates: family(
    'stream_duplicates_dropped_total',
    'counter',
    'Messages dropped as already delivered (backfill, recovery, redundant connections, another partition).',
    STREAM,
  ),
  invalid: family(
    'stream_invalid_messages_total',
    'counter',
    'Messages skipped as invalid, by kind: invalid-json, oversize, schema-mismatch (drift from the schema in strict validation).',
    [...STREAM, 'kind'],
  ),
  connections: family(
    'stream_connections_total',
    'counter',
    'Connections that answered 200.',
    STREAM,
  ),
  reconnects: family(
    'stream_reconnects_total',
    'counter',
    "Reconnects scheduled, by X's failure class: network, http, rate-limit, too-many-connections.",
    [...STREAM, 'reason'],
  ),
  stalls: family(
    'stream_stalls_total',
    'counter',
    'Connections aborted because nothing arrived for the stall timeout.',
    STREAM,
  ),
  backfills: family(
    'stream_backfills_total',
    'counter',
    'Connections X accepted that asked to redeliver missed posts (backfill_minutes).',
    STREAM,
  ),
  backfillSeconds: family(
    'stream_backfill_requested_seconds_total',
    'counter',
    'Time asked to be redelivered by backfill (backfill_minutes x 60).',
    STREAM,
  ),
  recoveries: family(
    'stream_recovery_windows_total',
    'counter',
    'Recovery windows (recoverGaps) that ended, by outcome: completed, failed, unrecoverable.',
    [...STREAM, 'outcome'],
  ),
  recoverySeconds: family(
    'stream_recovery_seconds_total',
    'counter',
    'Length of the recovery windows that ended, by outcome.',
    [...STREAM, 'outcome'],
  ),
  recoveredPosts: family(
    'stream_recovered_posts_total',
    'counter',
    'Posts returned by recovery requests (before dedupe).',
    STREAM,
  ),
  state: family(
    'stream_state',
    'gauge',
    'The connection state: 1 for the current one of connecting, connected, reconnecting, closed.',
    [...STREAM, 'state'],
  ),
  lastByte: family(
    'stream_last_byte_timestamp_seconds',
    'gauge',
    "When the last byte arrived, by the stream's clock (Unix seconds).",
    STREAM,
  ),
  postAge: family(
    'stream_post_age_seconds',
    'gauge',
    'Age of the posts received in the last lag interval (arrival minus created_at): median (quantile 0.5) and max (quantile 1).',
    [...STREAM, 'quantile'],
  ),
  hold: family(
    'stream_consumer_hold_seconds',
    'gauge',
    'How long the consumer held each message in the last lag interval: median (quantile 0.5) and max (quantile 1).',
    [...STREAM, 'quantile'],
  ),
  busy: family(
    'stream_consumer_busy_ratio',
    'gauge',
    'Share of the last lag interval the consumer spent holding messages (1 = always busy).',
    STREAM,
  ),
  fallingBehind: family(
    'stream_falling_behind',
    'gauge',
    'Whether the stream is falling behind, by reason: posts-aging, consumer-saturated.',
    [...STREAM, 'reason'],
  ),
  schemaDrift: family(
    'stream_schema_drift_total',
    'counter',
    "Drift validate: 'tolerant' worked around to deliver messages typed, by kind: coerced, set-aside (a message counts once per field path and kind; the paths are in stats.drift and schema-drift events).",
    [...STREAM, 'kind'],
  ),
  unrecognized: family(
    'stream_unrecognized_total',
    'counter',
    "Messages validate: 'tolerant' could not deliver as the stream's type (unrecognized events).",
    STREAM,
  ),
} as const satisfies Record<string, FamilySpec>;

export const INGEST_FAMILIES = {
  owned: family(
    'ingest_partition_owned',
    'gauge',
    'Whether this worker holds the partition lease and reads it (1) or not (0).',
    INGEST,
  ),
  leaseToken: family(
    'ingest_lease_fencing_token',
    'gauge',
    "The fencing token of the partition's lease, while this worker holds it.",
    INGEST,
  ),
  leaseRenewed: family(
    'ingest_lease_renewed_timestamp_seconds',
    'gauge',
    "When this worker last renewed the partition's lease, by the Ingestor's clock (Unix seconds).",
    INGEST,
  ),
  leaseExpiry: family(
    'ingest_lease_expiry_timestamp_seconds',
    'gauge',
    "When the partition's lease expires unless renewed, by the Ingestor's clock (Unix seconds).",
    INGEST,
  ),
  claimedAt: family(
    'ingest_claimed_timestamp_seconds',
    'gauge',
    "When this worker claimed the partition it holds, by the Ingestor's clock (Unix seconds).",
    INGEST,
  ),
  claims: family(
    'ingest_claims_total',
    'counter',
    'Partition leases claimed by this worker.',
    INGEST,
  ),
  takeovers: family(
    'ingest_takeovers_total',
    'counter',
    "Claims that continued from posts another worker (or an earlier run) had written, rather than the partition's first open.",
    INGEST,
  ),
  lost: family(
    'ingest_leases_lost_total',
    'counter',
    'Leases this worker lost (taken or expired) or gave up before they expired; not the ones it released.',
    INGEST,
  ),
  stops: family(
    'ingest_partition_stops_total',
    'counter',
    'Partitions this worker stopped reading, by reason: lost (taken or expired), expiring (not renewed in time), released (balance or shutdown).',
    [...INGEST, 'reason'],
  ),
  received: family(
    'ingest_received_total',
    'counter',
    'Messages received from X on the partition (keep-alives not counted).',
    INGEST,
  ),
  written: family(
    'ingest_written_total',
    'counter',
    'Messages appended to the Redis stream.',
    INGEST,
  ),
  duplicates: family(
    'ingest_duplicates_total',
    'counter',
    'Messages Redis already had (a takeover replay, a backfill, a redundant connection), not appended again.',
    INGEST,
  ),
  reconnects: family(
    'ingest_reconnects_total',
    'counter',
    "Reconnects of the partition's connections to X.",
    INGEST,
  ),
  backfillSeconds: family(
    'ingest_backfill_requested_seconds_total',
    'counter',
    'Time asked to be redelivered by backfill, on takeovers and reconnects (backfill_minutes x 60).',
    INGEST,
  ),
  takeoverBackfillSeconds: family(
    'ingest_takeover_backfill_seconds_total',
    'counter',
    'Time asked to be redelivered when taking over a partition (backfill_minutes x 60).',
    INGEST,
  ),
  recoveredSeconds: family(
    'ingest_recovered_seconds_total',
    'counter',
    'Time replayed by recovery windows (start_time/end_time) that completed (whole minutes x 60).',
    INGEST,
  ),
  unrecoverableSeconds: family(
    'ingest_unrecoverable_seconds_total',
    'counter',
    'Time of gaps nothing could replay: those posts are missing from Redis (whole minutes x 60).',
    INGEST,
  ),
  fallingBehind: family(
    'ingest_falling_behind_total',
    'counter',
    'Times the partition fell behind (falling-behind events).',
    INGEST,
  ),
  behind: family(
    'ingest_partition_behind',
    'gauge',
    'Whether the partition is behind now (1 between falling-behind and caught-up).',
    INGEST,
  ),
  replaying: family(
    'ingest_partition_replaying',
    'gauge',
    'Whether the partition replays what the previous owner may have missed (1 during the replay after a takeover).',
    INGEST,
  ),
  recovering: family(
    'ingest_recovery_windows_pending',
    'gauge',
    'Recovery windows (start_time/end_time) started or scheduled on the partition and not yet replayed.',
    INGEST,
  ),
  pendingWrites: family(
    'ingest_pending_writes',
    'gauge',
    'Messages received and not yet confirmed by Redis.',
    INGEST,
  ),
  postAge: family(
    'ingest_post_age_seconds',
    'gauge',
    'Age of the newest post received on the partition (now minus its creation time); no series while the partition is idle.',
    INGEST,
  ),
  writeLag: family(
    'ingest_write_lag_seconds',
    'gauge',
    'Age of the newest post of the partition in Redis (now minus its creation time); no series while the partition is idle.',
    INGEST,
  ),
  liveWorkers: family(
    'ingest_live_workers',
    'gauge',
    'Live workers sharing the partitions, as this worker saw in its last lease round.',
    ['worker'],
  ),
  targetPartitions: family(
    'ingest_target_partitions',
    'gauge',
    "This worker's share of the partitions (ceil(partitions / live workers)).",
    ['worker'],
  ),
  heldPartitions: family('ingest_held_partitions', 'gauge', 'Partitions this worker holds.', [
    'worker',
  ]),
  errors: family(
    'ingest_errors_total',
    'counter',
    'Failures the worker worked around (a Redis write, a lease round, a stream that ended).',
    ['worker'],
  ),
} as const satisfies Record<string, FamilySpec>;

/** The prefix of every name unless `BirdstreamMetrics` is given another. */
export const DEFAULT_PREFIX = 'birdstream_';
