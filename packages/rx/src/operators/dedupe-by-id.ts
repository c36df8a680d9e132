import { type DedupeOverflow, type RecoveryEvent, TimedIdWindow } from '@birdstream/core';
import { RECOVERY_HOLD_MARGIN_MS, resolveDedupe } from '@birdstream/core/internal';
import {
  asyncScheduler,
  defer,
  filter,
  type MonoTypeOperatorFunction,
  type SchedulerLike,
} from 'rxjs';
import { postIdOf } from './post-id.js';

/** Options of `dedupeById` and `mergeRedundant`. */
export interface DedupeByIdConfig<T = unknown> {
  /**
   * How long every post id is remembered, in milliseconds, whatever the rate.
   * A post whose id was seen within it is dropped. Cover the longest period
   * that can be re-sent: X's backfill is at most 5 minutes. A recovery
   * (`retryStream({ recoverGaps: true })` before this operator) replays the
   * posts at its window's edges longer ago than that: while its `recovery`
   * events pass through (`started` to `completed` or `failed`), every id
   * seen since the window's start is kept, whatever `retainMs`.
   * The same option as core's stream option `dedupe.retainMs`.
   * @default 360_000 (6 minutes, core's `DEFAULT_DEDUPE_RETAIN_MS`)
   */
  retainMs?: number;
  /**
   * Hard bound on the ids remembered (about 180 bytes each). When it is hit
   * before ids are `retainMs` old, the oldest go early and `onOverflow` says
   * so. Per 1,000 posts/s, 6 minutes are 360,000 ids (≈ 65 MB).
   * @default 2_000_000 (core's `DEFAULT_DEDUPE_MAX_IDS`)
   */
  maxIds?: number;
  /**
   * @deprecated The window is sized by time now (`retainMs`); a count alone
   * let a backfill at high rates through. This value is used as `maxIds`.
   */
  window?: number;
  /**
   * Picks the id to compare. Values for which it returns `undefined` always
   * pass (keep-alives and other lifecycle events).
   * @default the post id of a `response` event, a response, a hydrated post or a post
   */
  key?: (value: T) => string | undefined;
  /** Called with the id and the dropped value for each duplicate (for metrics). @default undefined */
  onDuplicate?: (id: string, value: T) => void;
  /**
   * Called when `maxIds` forces ids out before `retainMs` (duplicates may
   * follow); again only after the window recovered.
   * @default a Node.js process warning (`BIRDSTREAM_DEDUPE_OVERFLOW`)
   */
  onOverflow?: (overflow: DedupeOverflow) => void;
  /** Whose `now()` is the time (a TestScheduler in tests). @default asyncScheduler */
  scheduler?: SchedulerLike;
}

/**
 * Drops posts already delivered within the last `retainMs` (6 minutes by
 * default: X's 5-minute backfill plus margin), at any rate. Backfill after a
 * reconnect and redundant connections deliver the same post again; X does not
 * deduplicate. Memory is bounded by `maxIds`; reaching it is reported through
 * `onOverflow`, never silent. Works on stream events (only `response` events
 * are compared), responses, hydrated posts or posts. Each subscription has its
 * own window, so put it after `retryStream`: there one window spans every
 * reconnection.
 *
 * @example
 * ```ts
 * source.pipe(retryStream({ backfill: 'auto' }), dedupeById({ retainMs: 10 * 60_000 }), responses());
 * ```
 */
export function dedupeById<T>(config: DedupeByIdConfig<T> = {}): MonoTypeOperatorFunction<T> {
  // Core's dedupe option checks, so the same value gives the same ConfigError in core and rx.
  const { retainMs, maxIds } = resolveDedupe({
    retainMs: config.retainMs,
    maxIds: config.maxIds ?? config.window,
  }) as { retainMs: number; maxIds: number };
  const key = config.key ?? (postIdOf as (value: T) => string | undefined);
  const onDuplicate = config.onDuplicate;
  const onOverflow = config.onOverflow ?? warnOverflow;
  const scheduler = config.scheduler ?? asyncScheduler;
  return (source) =>
    defer(() => {
      // One window per subscription.
      const seen = new TimedIdWindow({
        retainMs,
        maxIds,
        clock: { now: () => scheduler.now() },
        onOverflow,
      });
      // A recovery (retryStream's recoverGaps) replays the posts at its window's edges, which came
      // longer ago than `retainMs`: keep every id seen since the window's start until it ended.
      const holds = new Map<string, () => void>();
      const followRecovery = (value: unknown) => {
        const event = value as Partial<RecoveryEvent> | null;
        if (event?.type !== 'recovery' || typeof event.startTime !== 'number') return;
        const window = `${event.startTime}-${String(event.endTime)}`;
        if (event.phase === 'scheduled' || event.phase === 'started') {
          if (!holds.has(window)) {
            holds.set(window, seen.hold(event.startTime - RECOVERY_HOLD_MARGIN_MS));
          }
        } else if (event.phase === 'completed' || event.phase === 'failed') {
          holds.get(window)?.();
          holds.delete(window);
        }
      };
      return source.pipe(
        filter((value) => {
          followRecovery(value);
          const id = key(value);
          if (id === undefined || !seen.seen(id)) return true;
          onDuplicate?.(id, value);
          return false;
        }),
      );
    });
}

function warnOverflow(overflow: DedupeOverflow): void {
  process.emitWarning(
    `dedupeById reached its bound of ${overflow.maxIds} ids: it now covers only the last ` +
      `${Math.round(overflow.coveredMs / 1000)} s instead of ${Math.round(overflow.retainMs / 1000)} s, ` +
      'so re-sent posts may be delivered twice. Raise maxIds or pass onOverflow.',
    { code: 'BIRDSTREAM_DEDUPE_OVERFLOW' },
  );
}
