import { readFixtureText } from '@birdstream/test-utils';
import { describe, expect, test } from 'vitest';
import { isOperationalDisconnect, parseJsonLossless } from '../../src/decode/index.js';

describe('isOperationalDisconnect', () => {
  test('recognises the recorded operational-disconnect message', () => {
    const message = parseJsonLossless(
      readFixtureText('stream/twarc-csv/msg_04_operational_disconnect_error.json'),
    ) as { errors: unknown[] };
    expect(isOperationalDisconnect(message)).toBe(true);
  });

  test('recognises the docs variant (api.x.com, UpstreamOperationalDisconnect)', () => {
    expect(
      isOperationalDisconnect({
        errors: [
          {
            title: 'operational-disconnect',
            disconnect_type: 'UpstreamOperationalDisconnect',
            detail: 'This stream has been disconnected upstream for operational reasons.',
            type: 'https://api.x.com/2/problems/operational-disconnect',
          },
        ],
      }),
    ).toBe(true);
  });

  test('any error with a disconnect_type, or only the type suffix, counts', () => {
    expect(isOperationalDisconnect({ errors: [{ disconnect_type: 'SlowReader' }] })).toBe(true);
    expect(
      isOperationalDisconnect({
        errors: [{ type: 'https://api.twitter.com/2/problems/operational-disconnect' }],
      }),
    ).toBe(true);
  });

  test('partial errors, other problems and odd values do not count', () => {
    expect(isOperationalDisconnect({})).toBe(false);
    expect(isOperationalDisconnect({ errors: undefined })).toBe(false);
    expect(isOperationalDisconnect({ errors: [] })).toBe(false);
    expect(
      isOperationalDisconnect({
        errors: [
          null,
          'operational-disconnect',
          {
            title: 'Not Found Error',
            type: 'https://api.twitter.com/2/problems/resource-not-found',
          },
          { type: 'https://example.com/operational-disconnect' },
          { disconnect_type: null },
        ],
      }),
    ).toBe(false);
  });
});
