import type { Clock } from '@birdstream/core';
import type { Fault } from '../faults/fault.js';
import type { StoredRule } from '../rules/rule-store.js';
import type { EmulatorEventOf, EmulatorEventType } from './events.js';
import type { EmulatorStats } from './stats.js';

/** The controls of an emulation engine, shared by the HTTP emulator and the msw handlers. */
export interface EngineControls {
  /**
   * Emulated time (`timeScale` times faster than real time). Pass it to a
   * client (`new StreamClient({ clock })`) so the client's stall timer,
   * back-off and backfill run in emulated time.
   */
  readonly clock: Clock;
  /**
   * Changes how much faster than real time emulated time runs, from now on
   * (emulated time stays continuous). Skip a long outage at a high speed,
   * then slow down so that the real latency of the next requests is small in
   * emulated time.
   */
  setTimeScale(timeScale: number): void;
  /** What has been sent so far: connections, post ids per connection, faults, rejections. */
  stats(): EmulatorStats;
  /** Injects a fault into the current connection, or the next one (see {@link Fault}). */
  inject(fault: Fault): void;
  /** The rules currently stored. */
  rules(): StoredRule[];
  /** Calls `listener` for every event of `type`; returns a function that stops listening. */
  on<T extends EmulatorEventType>(
    type: T,
    listener: (event: EmulatorEventOf<T>) => void,
  ): () => void;
  /** Resolves with the next event of `type` that satisfies `predicate`; rejects after `timeoutMs` real ms. @default timeoutMs 5000 */
  waitFor<T extends EmulatorEventType>(
    type: T,
    predicate?: (event: EmulatorEventOf<T>) => boolean,
    timeoutMs?: number,
  ): Promise<EmulatorEventOf<T>>;
}

/** The parts of an engine that both the HTTP emulator and the msw handlers expose. */
type ControlledEngine = Pick<EngineControls, 'stats' | 'inject' | 'rules' | 'on' | 'waitFor'> & {
  readonly clock: Clock & { setTimeScale(timeScale: number): void };
};

/** The controls of `engine`, bound to it, for the object a user gets back. */
export function engineControls(engine: ControlledEngine): EngineControls {
  return {
    clock: engine.clock,
    setTimeScale: (timeScale) => engine.clock.setTimeScale(timeScale),
    stats: () => engine.stats(),
    inject: (fault) => engine.inject(fault),
    rules: () => engine.rules(),
    on: (type, listener) => engine.on(type, listener),
    waitFor: (type, predicate, timeoutMs) => engine.waitFor(type, predicate, timeoutMs),
  };
}
