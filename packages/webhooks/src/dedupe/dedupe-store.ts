/**
 * Where a receiver remembers which deliveries it has handed over, so that a
 * post X sends twice (a retry, a replay, a second linked webhook) reaches
 * your code once. A delivery is first *claimed*, then *committed* once it was
 * handed over, or *released* when the hand-over failed (so that X's retry is
 * handed over again instead of being dropped as a duplicate).
 *
 * `MemoryDedupeStore` (the default) covers one process; `RedisDeliveryDedupe`
 * from `@birdstream/redis` covers every instance behind a load balancer.
 */
export interface DeliveryDedupeStore {
  /**
   * Claims `key` (a post id):
   * - `new`: nobody had it; hand it over, then `commit()` or `release()`;
   * - `duplicate`: it was handed over before (answer 200, drop it);
   * - `in-flight`: another instance is handing it over right now (answer 503: X retries,
   *   and the retry finds it committed, or free again if that hand-over failed).
   */
  claim(key: string): Promise<DedupeClaim> | DedupeClaim;
}

/** The outcome of {@link DeliveryDedupeStore.claim}. */
export type DedupeClaim =
  | {
      readonly status: 'new';
      /** The delivery was handed over: remember it as done. */
      commit(): Promise<void> | void;
      /** The hand-over failed: forget the claim, so X's retry is handed over. */
      release(): Promise<void> | void;
    }
  | { readonly status: 'duplicate' }
  | { readonly status: 'in-flight' };
