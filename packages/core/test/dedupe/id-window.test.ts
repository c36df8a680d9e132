import { describe, expect, test } from 'vitest';
import { DEFAULT_DEDUPE_WINDOW, IdWindow } from '../../src/dedupe/id-window.js';

describe('IdWindow', () => {
  test('reports an id as seen only after it was recorded', () => {
    const window = new IdWindow(3);
    expect(window.seen('1')).toBe(false);
    expect(window.seen('2')).toBe(false);
    expect(window.seen('1')).toBe(true);
    expect(window.seen('2')).toBe(true);
    expect(window.count).toBe(2);
  });

  test('forgets the oldest id first once full, and never grows past its size', () => {
    const window = new IdWindow(3);
    for (const id of ['a', 'b', 'c', 'd']) window.seen(id);
    expect(window.count).toBe(3);
    expect(window.seen('a')).toBe(false); // evicted, recorded again (evicts b)
    expect(window.seen('c')).toBe(true);
    expect(window.seen('d')).toBe(true);
    expect(window.seen('b')).toBe(false);
  });

  test('a repeated id does not take a second slot', () => {
    const window = new IdWindow(2);
    window.seen('x');
    window.seen('x');
    window.seen('x');
    window.seen('y');
    expect(window.seen('x')).toBe(true);
    expect(window.seen('y')).toBe(true);
  });

  test('keeps exactly the last N distinct ids over a long run', () => {
    const window = new IdWindow(100);
    for (let i = 0; i < 1_000; i++) window.seen(String(i));
    expect(window.count).toBe(100);
    expect(window.seen('899')).toBe(false);
    expect(window.seen('999')).toBe(true);
  });

  test('defaults to 10 000 ids and rejects a bad size', () => {
    expect(new IdWindow().size).toBe(DEFAULT_DEDUPE_WINDOW);
    expect(DEFAULT_DEDUPE_WINDOW).toBe(10_000);
    expect(() => new IdWindow(0)).toThrow(RangeError);
    expect(() => new IdWindow(1.5)).toThrow(/positive integer/);
  });
});
