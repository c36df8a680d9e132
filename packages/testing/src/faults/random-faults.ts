import type { Prng } from '../traffic/prng.js';
import type { Fault, SplitMode } from './fault.js';

type Scenario = (rng: Prng) => Fault[];

const SPLIT_MODES: readonly SplitMode[] = ['byte', 'utf8', 'crlf', 'cr-lf', 'random', 'coalesce'];

/**
 * What `faults: 'random'` draws from: only faults a correct client recovers
 * from on its own (no 401, no usage cap), some of them followed by a bad
 * answer to the reconnect (a stale connection's 429, a 503, a rate limit).
 */
const SCENARIOS: readonly (readonly [Scenario, number])[] = [
  [
    (rng) => {
      const mode = rng.pick(SPLIT_MODES);
      return [{ type: 'split', mode, messages: mode === 'byte' ? 2 : rng.int(5, 30) }];
    },
    4,
  ],
  [(rng) => [{ type: 'stall', ms: rng.int(25_000, 45_000) }], 2],
  [() => [{ type: 'destroy' }], 3],
  [() => [{ type: 'close' }], 2],
  [() => [{ type: 'operational-disconnect' }], 2],
  [
    (rng) => [{ type: 'slow', ms: rng.int(5_000, 20_000), bytesPerSecond: rng.int(2_000, 20_000) }],
    1,
  ],
  [() => [{ type: 'gzip' }, { type: 'close' }], 1],
  [() => [{ type: 'server-error', status: 503 }, { type: 'destroy' }], 1],
  [() => [{ type: 'too-many-connections' }, { type: 'destroy' }], 1],
  [
    (rng) => [
      { type: 'rate-limit', resetInMs: rng.int(20_000, 90_000) },
      { type: 'operational-disconnect' },
    ],
    0.5,
  ],
];

/** The faults of one random episode, in injection order. */
export function randomFaultEpisode(rng: Prng): Fault[] {
  return rng.weighted(SCENARIOS)(rng);
}
