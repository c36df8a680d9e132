import { DESCRIPTIONS, LOCATIONS, NAMES } from './corpus.js';
import type { GenUser } from './model.js';
import { type Prng, prngFor, STREAM } from './prng.js';
import { snowflake } from './snowflake.js';

/** How many distinct accounts post on the emulated platform. */
export const USER_POOL_SIZE = 400;

const ACCOUNTS_START = Date.UTC(2008, 0, 1);
const ACCOUNTS_END = Date.UTC(2025, 0, 1);
const SNOWFLAKE_USERS_SINCE = Date.UTC(2013, 0, 1);

function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString();
}

/** Account `k` of the pool: the same seed always yields the same account. */
export function generateUser(seed: number, k: number): GenUser {
  const rng = prngFor(seed, STREAM.user, k);
  const [name, root] = rng.pick(NAMES);
  const suffix = String(k);
  const username = `${root.slice(0, 15 - suffix.length - 1)}_${suffix}`.replace(/_+/g, '_');
  const created = ACCOUNTS_START + Math.floor(rng.next() * (ACCOUNTS_END - ACCOUNTS_START));
  // Accounts from before 2013 have short sequential ids; later ones are snowflakes.
  const id =
    created < SNOWFLAKE_USERS_SINCE
      ? String(1_000_000 + Math.floor((created - ACCOUNTS_START) / 60_000) * 1000 + k)
      : snowflake(created, rng.int(0, 1023), k);
  const followers = Math.floor(rng.exponential(1500));
  const verifiedType = rng.weighted<GenUser['verified_type']>([
    ['none', 85],
    ['blue', 12],
    ['business', 2],
    ['government', 1],
  ]);
  const user: GenUser = {
    id,
    name,
    username,
    created_at: isoSeconds(created),
    description: rng.pick(DESCRIPTIONS),
    url: rng.chance(0.3) ? `https://t.co/${rng.base62(10)}` : '',
    profile_image_url: `https://pbs.twimg.com/profile_images/${snowflake(created + 86_400_000, rng.int(0, 1023), 1)}/${rng.base62(8)}_normal.jpg`,
    protected: false,
    verified: verifiedType !== 'none',
    verified_type: verifiedType,
    public_metrics: {
      followers_count: followers,
      following_count: Math.floor(rng.exponential(400)),
      tweet_count: Math.floor(rng.exponential(8000)),
      listed_count: Math.floor(followers / 200),
      like_count: Math.floor(rng.exponential(12000)),
    },
  };
  const location = rng.pick(LOCATIONS);
  if (location) user.location = location;
  return user;
}

/**
 * Picks an account, favouring the first ones (a few accounts post a lot, as
 * on the real platform), so `from:` rules see repeated authors.
 */
export function pickUserIndex(rng: Prng): number {
  const u = rng.next();
  return Math.floor(USER_POOL_SIZE * u * u);
}

/** A small cache of generated users (they are referenced over and over). */
export class UserDirectory {
  private readonly cache = new Map<number, GenUser>();

  constructor(private readonly seed: number) {}

  get(k: number): GenUser {
    let user = this.cache.get(k);
    if (!user) {
      user = generateUser(this.seed, k);
      this.cache.set(k, user);
    }
    return user;
  }
}
