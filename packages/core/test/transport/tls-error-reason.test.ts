import { isConnectionError, isFirstConnectionError, StreamClient } from '@birdstream/core';
import { describe, expect, test } from 'vitest';
import { oneLine } from '../../src/transport/http-stream-connection.js';
import { startLoopback } from './loopback.js';

/**
 * Issue 22 item 6: a TLS failure's reason is one readable line, not Node's
 * raw OpenSSL text (`800C…:error:0A00010B:SSL routines:…:../deps/openssl/…:350:`
 * and a line break). Against a real server: https spoken to a plain-http
 * port fails the handshake with "wrong version number".
 */
describe('a TLS error is said in one readable line', () => {
  test("OpenSSL's text becomes its reason", () => {
    expect(
      oneLine(
        'write EPROTO 800C660CA97F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:350:\n',
      ),
    ).toBe('write EPROTO, TLS: wrong version number');
    // OpenSSL 1.1's form, without the thread id.
    expect(
      oneLine('read EPROTO error:1408F10B:SSL routines:ssl3_get_record:wrong version number'),
    ).toBe('read EPROTO, TLS: wrong version number');
    expect(oneLine('connect ECONNREFUSED 127.0.0.1:1')).toBe('connect ECONNREFUSED 127.0.0.1:1');
    expect(oneLine('two\nlines  here ')).toBe('two lines here');
  });

  test('https to a plain-http server: the reconnecting reason and the final error are one line', async () => {
    const plain = await startLoopback(false);
    const client = new StreamClient({
      bearerToken: 'token',
      baseUrl: plain.url.replace('http:', 'https:'),
    });
    const reasons: string[] = [];
    const stream = client.sample(
      {},
      { firstConnection: { maxAttempts: 2 }, schedule: { networkStepMs: 1 } },
    );
    stream.on('reconnecting', (event) => {
      expect(event.previous).toBe('unreachable');
      reasons.push(event.reason.message);
    });
    let error: unknown;
    try {
      for await (const _ of stream) throw new Error('no post expected');
    } catch (e) {
      error = e;
    }
    expect(isFirstConnectionError(error)).toBe(true);
    expect(reasons).toHaveLength(1);
    for (const text of [...reasons, (error as Error).message]) {
      expect(text).not.toMatch(/\n/);
      expect(text).not.toMatch(/deps\/openssl|SSL routines|:error:/);
    }
    expect(reasons[0]).toMatch(/TLS: wrong version number/);
    expect(isConnectionError(error)).toBe(true);
  });
});
