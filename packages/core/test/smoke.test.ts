import * as core from '@birdstream/core';
import { expect, test } from 'vitest';

test('package entry resolves from source', () => {
  expect(typeof core).toBe('object');
});
