import { isConfigError } from '@birdstream/core';
import { thrownBy } from '@birdstream/test-utils';
import type { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { dedupeById, mergeRedundant, type StreamEvent } from '../src/index.js';
import { createTestScheduler, keepAlive, post } from './support/marbles.js';

type Event = StreamEvent<unknown>;

let testScheduler: TestScheduler;
beforeEach(() => {
  testScheduler = createTestScheduler();
});

describe('dedupeById', () => {
  it('drops a post already delivered (backfill after a reconnect) and lets keep-alives through', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const values = { a: post('1'), b: post('2'), c: post('3'), k: keepAlive(0) };
      const source = cold<Event>('a b k a k b c', values);
      expectObservable(source.pipe(dedupeById())).toBe('a b k - k - c', values);
    });
  });

  it('forgets the oldest ids beyond the window, so memory stays bounded', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const values = { a: post('1'), b: post('2'), c: post('3') };
      // Window 2: after 1, 2, 3 the id 1 is forgotten and passes again; 3 is still remembered.
      const source = cold<Event>('a b c a c', values);
      expectObservable(source.pipe(dedupeById({ window: 2 }))).toBe('a b c a -', values);
    });
  });

  it('compares responses, hydrated posts and bare posts by their post id', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const responses = {
        a: { data: { id: '1' } },
        b: { data: { id: '1' } },
        c: { data: { id: '2' } },
      };
      expectObservable(cold('abc', responses).pipe(dedupeById())).toBe('a-c', responses);
      const hydrated = { a: { post: { id: '9' } }, b: { post: { id: '9' } } };
      expectObservable(cold('ab', hydrated).pipe(dedupeById())).toBe('a-', hydrated);
      const bare = { a: { id: '5', text: 'x' }, b: { id: '5', text: 'x' } };
      expectObservable(cold('ab', bare).pipe(dedupeById())).toBe('a-', bare);
    });
  });

  it('uses a custom key and reports each duplicate', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const values = { a: 'x-1', b: 'y-1', c: 'x-2' };
      const duplicates: [string, string][] = [];
      const result = cold('abc', values).pipe(
        dedupeById<string>({
          key: (value) => value.split('-')[1],
          onDuplicate: (id, value) => duplicates.push([id, value]),
        }),
      );
      expectObservable(result).toBe('a-c', values);
      testScheduler.flush();
      expect(duplicates).toEqual([['1', 'y-1']]);
    });
  });

  it('gives each subscription its own window', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const values = { a: post('1') };
      const deduped = cold<Event>('a', values).pipe(dedupeById());
      expectObservable(deduped).toBe('a', values);
      expectObservable(deduped).toBe('a', values);
    });
  });

  it.each([0, -1, 1.5, Number.POSITIVE_INFINITY])('rejects window %s', (window) => {
    const error = thrownBy(() => dedupeById({ window }));
    expect(isConfigError(error)).toBe(true);
  });
});

describe('mergeRedundant', () => {
  it('merges two redundant connections; each post appears once, from whichever arrived first', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const values = { a: post('1'), b: post('2'), c: post('3'), k: keepAlive(0) };
      const first = cold<Event>('a---b-----k', values);
      const second = cold<Event>('--a-k--b-c', values);
      expectObservable(mergeRedundant(first, second, { window: 100 })).toBe('a---(bk)-ck', values);
    });
  });

  it('errors as soon as either connection errors (give each its own retryStream)', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const values = { a: post('1') };
      const boom = new Error('boom');
      const first = cold<Event>('a--#', values, boom);
      const second = cold<Event>('-a----', values);
      expectObservable(mergeRedundant(first, second)).toBe('a--#', values, boom);
      expectSubscriptions(second.subscriptions).toBe('^--!');
    });
  });
});
