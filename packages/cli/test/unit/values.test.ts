import { describe, expect, it } from 'vitest';
import { refuseTokenFlags } from '../../src/cli/args.js';
import { createRedactor } from '../../src/cli/redact.js';
import { isUsageError } from '../../src/cli/usage-error.js';
import { parseDuration, parseInteger, parseList } from '../../src/cli/values.js';

describe('parseDuration', () => {
  it.each([
    ['30s', 30_000],
    ['500ms', 500],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['1.5s', 1500],
    ['90', 90_000],
  ])('%s → %d ms', (text, ms) => {
    expect(parseDuration(text, '--duration', 'stream')).toBe(ms);
  });

  it.each(['', '0', '0s', 'soon', '5 minutes', '-5s', '5x'])(
    'refuses %j with a usage error',
    (text) => {
      let error: unknown;
      try {
        parseDuration(text, '--duration', 'stream');
      } catch (e) {
        error = e;
      }
      expect(isUsageError(error)).toBe(true);
      expect((error as Error).message).toContain('--duration must be a duration');
    },
  );
});

describe('parseInteger and parseList', () => {
  it('checks ranges', () => {
    expect(parseInteger('5', '--backfill', 'stream', 1, 5)).toBe(5);
    expect(() => parseInteger('6', '--backfill', 'stream', 1, 5)).toThrow('from 1 to 5');
    expect(() => parseInteger('1.5', '--limit', 'stream', 1)).toThrow('whole number');
  });

  it('splits, deduplicates and checks list values', () => {
    expect(
      parseList('created_at, lang,created_at', ['created_at', 'lang'], '--tweet-fields', 'stream'),
    ).toEqual(['created_at', 'lang']);
    expect(() =>
      parseList('created_at,langs', ['created_at', 'lang'], '--tweet-fields', 'stream'),
    ).toThrow("unknown value 'langs'");
  });
});

describe('token safety', () => {
  it('refuses token flags without echoing their value', () => {
    for (const argv of [
      ['--token=SECRET123'],
      ['--token', 'SECRET123'],
      ['--bearer-token=SECRET123'],
    ]) {
      let error: unknown;
      try {
        refuseTokenFlags(argv);
      } catch (e) {
        error = e;
      }
      expect(isUsageError(error)).toBe(true);
      expect((error as Error).message).toContain('X_BEARER_TOKEN');
      expect((error as Error).message).not.toContain('SECRET123');
    }
    expect(() => refuseTokenFlags(['--', '--token'])).not.toThrow();
  });

  it('redacts the token, percent-encoded or decoded', () => {
    const token = 'AAAA%2Fb%3Dc';
    const redact = createRedactor(token);
    expect(redact(`a ${token} b AAAA/b=c c ${encodeURIComponent(token)}`)).toBe(
      'a *** b *** c ***',
    );
    expect(createRedactor(undefined)('AAAA')).toBe('AAAA');
  });
});
