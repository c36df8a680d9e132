import { isPayloadError, PayloadError } from '@birdstream/core';
import { describe, expect, test } from 'vitest';

describe('PayloadError', () => {
  test('describes the stream message by default', () => {
    const error = new PayloadError('invalid-json', { byteLength: 12, raw: '{"data": tru' });
    expect(error.message).toBe('A stream message of 12 bytes is not valid JSON; it was skipped.');
  });

  test('takes a custom message (for subclasses about other payloads), keeping every field', () => {
    const error = new PayloadError('schema-mismatch', {
      byteLength: 2,
      issues: [{ path: ['data'], message: 'Required' }],
      raw: '{}',
      message: 'The rules endpoint answered with an unexpected body.',
    });
    expect(isPayloadError(error)).toBe(true);
    expect(error.message).toBe('The rules endpoint answered with an unexpected body.');
    expect(error.toJSON()).toEqual({
      name: 'PayloadError',
      code: 'payload',
      message: 'The rules endpoint answered with an unexpected body.',
      kind: 'schema-mismatch',
      byteLength: 2,
      issues: [{ path: ['data'], message: 'Required' }],
    });
    expect(error.raw).toBe('{}');
    expect(Object.keys(error)).not.toContain('raw');
  });
});
