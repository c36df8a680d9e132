import { describe, expect, test } from 'vitest';
import { thrownBy } from '../src/index.js';

describe('thrownBy', () => {
  test('returns what the call throws, even a non-Error', () => {
    const error = new RangeError('out of range');
    expect(
      thrownBy(() => {
        throw error;
      }),
    ).toBe(error);
    expect(
      thrownBy(() => {
        throw 'plain';
      }),
    ).toBe('plain');
  });

  test('fails when the call returns', () => {
    expect(() => thrownBy(() => 42)).toThrow('Expected the call to throw, but it returned.');
  });
});
