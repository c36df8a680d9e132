import { isConfigError } from '@birdstream/core';
import { thrownBy } from '@birdstream/test-utils';
import type { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { matchingRule, responses, type StreamEvent } from '../src/index.js';
import { createTestScheduler, keepAlive } from './support/marbles.js';

type Response = { data: { id: string }; matching_rules: { id: string; tag?: string | null }[] };

let testScheduler: TestScheduler;
beforeEach(() => {
  testScheduler = createTestScheduler();
});

const response = (id: string, rules: Response['matching_rules']): Response => ({
  data: { id },
  matching_rules: rules,
});

describe('responses', () => {
  it('keeps only the responses, dropping keep-alives and lifecycle events', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const a = response('1', [{ id: '10', tag: 'cats' }]);
      const b = response('2', [{ id: '11', tag: 'dogs' }]);
      const events: Record<string, StreamEvent<Response>> = {
        n: { type: 'connecting', attempt: 0, url: 'https://api.x.com/2/tweets/search/stream' },
        c: { type: 'connected', attempt: 0, status: 200, headers: {} },
        a: { type: 'response', response: a },
        k: keepAlive(0),
        e: { type: 'stream-errors', errors: [], withData: false, disconnect: false },
        b: { type: 'response', response: b },
      };
      expectObservable(cold('ncakeb|', events).pipe(responses())).toBe('--a--b|', { a, b });
    });
  });
});

describe('matchingRule', () => {
  it('keeps posts that matched a rule tag or id, among several rules', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const values = {
        a: response('1', [{ id: '10', tag: 'cats' }]),
        b: response('2', [
          { id: '11', tag: 'dogs' },
          { id: '10', tag: 'cats' },
        ]),
        c: response('3', [{ id: '12', tag: null }]),
      };
      expectObservable(cold('abc', values).pipe(matchingRule('cats'))).toBe('ab-', values);
      expectObservable(cold('abc', values).pipe(matchingRule('12'))).toBe('--c', values);
      expectObservable(cold('abc', values).pipe(matchingRule(['dogs', '12']))).toBe('-bc', values);
      expectObservable(cold('abc', values).pipe(matchingRule(12))).toBe('--c', values);
    });
  });

  it('matches hydrated posts by matchingRules, and never a post without rules', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const values = {
        a: { post: { id: '1' }, matchingRules: [{ id: '10', tag: 'cats' }] },
        b: { post: { id: '2' }, matchingRules: [] },
      };
      expectObservable(cold('ab', values).pipe(matchingRule('cats'))).toBe('a-', values);
    });
  });

  it.each([
    [[], /at least one rule tag or id/],
    [Number.MAX_SAFE_INTEGER + 2, /pass rule ids as strings/],
    ['', /non-empty string/],
  ])('rejects %s with a ConfigError', (wanted, message) => {
    const error = thrownBy(() => matchingRule(wanted as string));
    expect(isConfigError(error)).toBe(true);
    expect((error as Error).message).toMatch(message);
  });
});
