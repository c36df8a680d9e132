import { TestScheduler } from 'rxjs/testing';
import { expect } from 'vitest';

/** A TestScheduler whose assertions are vitest's deep equality. */
export function createTestScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => {
    expect(actual).toEqual(expected);
  });
}

/** A keep-alive event as the source emits it, at virtual time `at`. */
export const keepAlive = (at: number) => ({ type: 'keep-alive' as const, at });

/** A post event with the given id. */
export const post = (id: string) => ({
  type: 'response' as const,
  response: { data: { id, text: `post ${id}`, edit_history_tweet_ids: [id] } },
});
