import { ConfigError } from '@birdstream/core';
import { normalizeSeed, type Prng, prngFor, STREAM } from '../traffic/prng.js';
import type { Fault, ScriptedFault, SplitMode } from './fault.js';
import type { PostPinnedFault } from './post-schedule.js';

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

/**
 * Random faults by post count (`faultIntervalPosts`): the next episode after
 * item `after`, pinned `rng.exponential(meanPosts)` items later (at least one).
 */
export function nextRandomEpisode(rng: Prng, meanPosts: number, after: number): PostPinnedFault[] {
  const atPost = Math.max(0, after) + Math.max(1, Math.round(rng.exponential(meanPosts)));
  return randomFaultEpisode(rng).map((fault) => ({ atPost, fault }));
}

/** Options of {@link randomFaultScript}. */
export interface RandomFaultScriptOptions {
  /** Seed of the draw: the same seed gives the same script. */
  seed: number | string;
  /** How many episodes (a fault, or a fault and a bad answer to the reconnect). */
  episodes: number;
  /** The episodes are spread over the first `posts` items of the timeline, one in each equal share. */
  posts: number;
}

/**
 * A seeded script of the faults `faults: 'random'` draws from, pinned to
 * posts (`atPost`) rather than time: the same seed strikes the same faults,
 * in the same order, at the same posts on any machine, so a test can count
 * on them. Pass it as `faults` to `startEmulator`.
 *
 * @example
 * const faults = randomFaultScript({ seed: 'soak', episodes: 8, posts: 4_000 });
 * const emu = await startEmulator({ seed: 'soak', faults });
 * // … run a client past post 4,000, then:
 * // emu.stats().faults.map((f) => f.type) equals faults.map((f) => f.type)
 */
export function randomFaultScript(options: RandomFaultScriptOptions): ScriptedFault[] {
  const { episodes, posts } = options;
  if (!Number.isInteger(episodes) || episodes < 0)
    throw new ConfigError(`\`episodes\` must be a whole number >= 0, got ${String(episodes)}.`);
  if (!Number.isInteger(posts) || posts < episodes)
    throw new ConfigError(
      `\`posts\` must be a whole number, at least \`episodes\` (${episodes}), got ${String(posts)}.`,
    );
  const rng = prngFor(normalizeSeed(options.seed), STREAM.faults, 1);
  const script: ScriptedFault[] = [];
  for (let i = 0; i < episodes; i++) {
    const share = posts / episodes;
    const atPost = Math.floor(share * i + rng.next() * share);
    for (const fault of randomFaultEpisode(rng)) script.push({ ...fault, atPost });
  }
  return script;
}
