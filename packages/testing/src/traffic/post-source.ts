import type { MatchInput } from '../rules/rule-matcher.js';
import type { PostWorld } from './model.js';
import { type GeneratorContext, generatePost } from './post-generator.js';
import type { Timeline } from './timeline.js';
import { UserDirectory } from './users.js';

/** A post with what rule matching needs, computed once. */
export interface TimelinePost {
  world: PostWorld;
  match: MatchInput;
}

const CACHE_SIZE = 4096;

/**
 * The emulated platform's posts, by timeline index. Posts are generated on
 * demand (only when a connection needs them) and the recent ones cached, so
 * concurrent connections and backfill replays share the work.
 */
export class PostSource {
  private cache = new Map<number, TimelinePost>();
  private readonly context: GeneratorContext;

  constructor(
    seed: number,
    readonly timeline: Timeline,
  ) {
    this.context = { seed, users: new UserDirectory(seed) };
  }

  get(index: number): TimelinePost {
    const cached = this.cache.get(index);
    if (cached) return cached;
    const world = generatePost(this.context, index, this.timeline.timeOf(index));
    const post: TimelinePost = { world, match: world.facts };
    this.cache.set(index, post);
    // Evict in bulk: deleting map entries one by one from the front makes
    // every later `keys().next()` skip the holes left behind.
    if (this.cache.size > 2 * CACHE_SIZE) this.cache = new Map([...this.cache].slice(-CACHE_SIZE));
    return post;
  }
}
