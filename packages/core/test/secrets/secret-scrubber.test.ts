import { inspect } from 'node:util';
import { ConnectionError, PayloadError, REDACTED, SecretScrubber } from '@birdstream/core';
import { describe, expect, test } from 'vitest';

const TOKEN = 'AAAAAAAAAAAAAAAAAAAAAsecret%2Fpart%3Dtoken0123456789';
const scrubber = new SecretScrubber().add(TOKEN);
const b64 = (text: string) => Buffer.from(text).toString('base64');
const b64url = (text: string) => Buffer.from(text).toString('base64url');

describe('SecretScrubber', () => {
  test.each([
    ['as given', `Authorization: Bearer ${TOKEN}`],
    ['percent-decoded', `token=${decodeURIComponent(TOKEN)}`],
    ['percent-encoded', `?t=${encodeURIComponent(TOKEN)}`],
    ['base64', `x-echo: ${b64(TOKEN)}`],
    ['base64url', `x-echo: ${b64url(TOKEN)}`],
    ['inside a longer base64 blob (offset 1)', `Basic ${b64(`u:${TOKEN}`)}`],
    ['inside a longer base64 blob (offset 2)', `Basic ${b64(`us:${TOKEN}`)}`],
    ['inside a longer base64 blob (offset 0)', `Basic ${b64(`use:${TOKEN}`)}`],
  ])('removes the token %s', (_, text) => {
    const scrubbed = scrubber.scrub(text);
    expect(scrubbed).toContain(REDACTED);
    expect(scrubbed).not.toMatch(/secret(%2F|\/)part/);
    expect(scrubbed).not.toContain(TOKEN);
    expect(scrubbed).not.toContain(b64(TOKEN).slice(8, 40));
    expect(scrubbed).not.toContain(b64(`u:${TOKEN}`).slice(8, 40));
  });

  test('leaves other text alone, and a short or missing secret changes nothing', () => {
    expect(scrubber.scrub('nothing to see')).toBe('nothing to see');
    expect(new SecretScrubber().add('abc').add(undefined).scrub('abc def')).toBe('abc def');
    expect(new SecretScrubber().active).toBe(false);
    expect(new SecretScrubber({ replacement: '***' }).add(TOKEN).scrub(`x ${TOKEN}`)).toBe('x ***');
  });

  test('scrubValue copies only what changed, through arrays and plain objects', () => {
    const clean = { a: ['x'], b: 1 };
    expect(scrubber.scrubValue(clean)).toBe(clean);
    const dirty = { errors: [{ detail: `echo ${TOKEN}`, n: 1 }], ok: 'y' };
    const scrubbed = scrubber.scrubValue(dirty);
    expect(scrubbed).toEqual({ errors: [{ detail: `echo ${REDACTED}`, n: 1 }], ok: 'y' });
    expect(dirty.errors[0]?.detail).toContain(TOKEN);
  });

  test('scrubError rewrites message, stack, hidden properties and the cause chain', () => {
    const cause = new TypeError(`fetch failed for ${TOKEN}`);
    const error = new ConnectionError(`Could not connect (${TOKEN})`, { cause });
    const payload = new PayloadError('invalid-json', { byteLength: 3, raw: `{"t":"${TOKEN}` });
    expect(scrubber.scrubError(error)).toBe(error);
    scrubber.scrubError(payload);
    for (const value of [error, payload]) {
      const text = `${inspect(value, { showHidden: true, depth: 10 })} ${JSON.stringify(value)}`;
      expect(text).not.toMatch(/secret(%2F|\/)part/);
    }
    expect(error.message).toBe(`Could not connect (${REDACTED})`);
    expect(payload.raw).toBe(`{"t":"${REDACTED}`);
  });
});
