import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readFixtureText } from '@birdstream/test-utils';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runBin, startBin } from '../helpers/bin.js';
import { expectNoToken, expectOneLineError, TOKEN, tempDir } from '../helpers/env.js';
import { type FakeX, startFakeX } from '../helpers/fake-x.js';

/** The recorded filtered-stream posts (the in-band disconnect and the duplicate line left out). */
const POSTS = [0, 1, 2, 3, 5, 6, 7]
  .map((n) => readFixtureText('stream/twarc-csv/streaming_output.jsonl').split('\n')[n] ?? '')
  .filter((line) => line.startsWith('{"data"'));

/** A post with multibyte text: emoji (outside the BMP), CJK and accents, sent as raw UTF-8. */
const MULTIBYTE = {
  data: {
    id: '1900000000000000001',
    text: 'Café ☕ 東京 🥁🐦 naïve',
    edit_history_tweet_ids: ['1900000000000000001'],
  },
  matching_rules: [{ id: '1900000000000000009', tag: 'unicode' }],
};

const files = tempDir();
let x: FakeX;
beforeAll(async () => {
  x = await startFakeX({ token: TOKEN });
});
afterEach(() => {
  x.requests.length = 0;
});
afterAll(async () => {
  await x.close();
  files.remove();
});

const env = () => ({ X_BEARER_TOKEN: TOKEN, BIRDSTREAM_BASE_URL: x.url });
const streamRequests = () => x.requests.filter((r) => r.path.endsWith('/stream'));

/** Answers 200, writes `lines` (each + \r\n), then sends a keep-alive every 50 ms until the client leaves. */
function serve(lines: string[], options: { end?: boolean } = {}) {
  x.onStream((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    for (const line of lines) res.write(`${line}\r\n`);
    if (options.end) {
      res.end();
      return;
    }
    const timer = setInterval(() => res.write('\r\n'), 50);
    res.on('close', () => clearInterval(timer));
  });
}

function jsonLines(text: string): Record<string, unknown>[] {
  const lines = text.split('\n');
  expect(lines.pop()).toBe('');
  return lines.map((line) => JSON.parse(line));
}

describe('birdstream stream', () => {
  it('writes one response per line, keeping 19-digit ids exact, and stops at --limit', async () => {
    serve(POSTS);
    const result = await runBin(['stream', '--limit', '3'], { env: env() });
    expect(result.code).toBe(0);
    const lines = jsonLines(result.stdout);
    expect(lines).toHaveLength(3);
    const first = JSON.parse(POSTS[0] ?? '');
    expect(lines[0]?.data).toEqual(first.data);
    // The recording has the rule id as a JSON number beyond 2^53: it must come out as the exact digits.
    expect(POSTS[0]).toContain('"matching_rules": [{"id": 1377649934414049282');
    expect(result.stdout.split('\n')[0]).toContain('"matching_rules":[{"id":"1377649934414049282"');
    expect(result.stderr).toMatch(
      /birdstream: reached --limit after .*: 3 posts .*3 lines written to stdout/,
    );
    expect(streamRequests()).toHaveLength(1);
    await streamRequests()[0]?.closed;
    expectNoToken(result);
  });

  it('keeps multibyte text intact, as UTF-8', async () => {
    const line = JSON.stringify(MULTIBYTE);
    x.onStream((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      // Split the bytes in the middle of the 4-byte emoji to exercise the decoder end to end.
      const bytes = Buffer.from(`${line}\r\n`);
      const cut = bytes.indexOf(Buffer.from('🥁')) + 2;
      res.write(bytes.subarray(0, cut));
      setTimeout(() => res.write(bytes.subarray(cut)), 20);
    });
    const result = await runBin(['stream', '--limit', '1', '--quiet'], { env: env() });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${JSON.stringify(MULTIBYTE)}\n`);
    expect(result.stderr).toBe('');
  });

  it('sends the fields as query parameters and writes flattened posts with --flatten', async () => {
    serve(POSTS);
    const result = await runBin(
      [
        'stream',
        '--limit',
        '1',
        '--flatten',
        '--expansions',
        'author_id,geo.place_id',
        '--tweet-fields',
        'created_at,lang',
        '--user-fields',
        'username',
      ],
      { env: env() },
    );
    expect(result.code).toBe(0);
    const request = streamRequests()[0];
    expect(request?.path).toBe('/2/tweets/search/stream');
    expect(request?.query.get('expansions')).toBe('author_id,geo.place_id');
    expect(request?.query.get('tweet.fields')).toBe('created_at,lang');
    expect(request?.query.get('user.fields')).toBe('username');
    const [post] = jsonLines(result.stdout);
    const recorded = JSON.parse(POSTS[0] ?? '');
    expect(post).toMatchObject({ id: recorded.data.id, author_id: recorded.data.author_id });
    expect(post?.author).toEqual(
      recorded.includes.users.find((u: { id: string }) => u.id === recorded.data.author_id),
    );
    expect(post).not.toHaveProperty('includes');
  });

  it('connects to the sample stream with --sample and reconnects after a drop', async () => {
    let connections = 0;
    x.onStream((_req, res) => {
      connections += 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      if (connections === 1) {
        res.end(`${POSTS[0]}\r\n`);
        return;
      }
      res.write(`${POSTS[1]}\r\n${POSTS[2]}\r\n`);
    });
    const result = await runBin(['stream', '--sample', '--limit', '3', '-o', 'sample.jsonl'], {
      env: env(),
      cwd: files.dir,
    });
    expect(result.code).toBe(0);
    expect(streamRequests().map((r) => r.path)).toEqual([
      '/2/tweets/sample/stream',
      '/2/tweets/sample/stream',
    ]);
    expect(result.stdout).toBe('');
    const written = jsonLines(readFileSync(join(files.dir, 'sample.jsonl'), 'utf8'));
    expect(written.map((r) => (r.data as { id: string }).id)).toEqual(
      [POSTS[0], POSTS[1], POSTS[2]].map((p) => JSON.parse(p ?? '').data.id),
    );
    expect(result.stderr).toContain('birdstream: connected to the sample stream.');
    expect(result.stderr).toMatch(
      /birdstream: connection lost \(.*\); reconnecting in .* \(attempt 1\)\./,
    );
    expect(result.stderr).toContain('birdstream: reconnected.');
    expect(result.stderr).toMatch(/3 posts .*1 reconnect, /);
  });

  it('on SIGINT: closes the connection, flushes the file, prints a summary, exits 130', async () => {
    serve(POSTS.slice(0, 2));
    const run = startBin(['stream', '-o', 'posts.jsonl', '--progress-interval', '20ms'], {
      env: env(),
      cwd: files.dir,
    });
    // The progress line reports the two posts once the CLI has handled them.
    await run.waitFor('stderr', (text) => /birdstream: .*: 2 posts \(/.test(text));
    run.child.kill('SIGINT');
    const result = await run.exited;
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(
      /birdstream: stopped by SIGINT after .*: 2 posts .*2 lines written to posts\.jsonl/,
    );
    const [request] = streamRequests();
    expect(streamRequests()).toHaveLength(1);
    await request?.closed;
    const written = jsonLines(readFileSync(join(files.dir, 'posts.jsonl'), 'utf8'));
    expect(written.map((r) => (r.data as { id: string }).id)).toEqual(
      POSTS.slice(0, 2).map((p) => JSON.parse(p).data.id),
    );
    expectNoToken(result);
  });

  it('on SIGTERM: the same clean stop, exit 143', async () => {
    serve(POSTS.slice(0, 1));
    const run = startBin(['stream'], { env: env() });
    await run.waitFor('stdout', (text) => text.endsWith('\n'));
    run.child.kill('SIGTERM');
    const result = await run.exited;
    expect(result.code).toBe(143);
    expect(jsonLines(result.stdout)).toHaveLength(1);
    expect(result.stderr).toMatch(/stopped by SIGTERM .*1 post /);
    await streamRequests()[0]?.closed;
  });

  it('stops cleanly when the reader of stdout goes away (| head)', async () => {
    // A post every 50 ms: a closed pipe is noticed at the next write (EPIPE), as with `| head`.
    // (Serving every post at once raced: all could be written before the reader went away.)
    x.onStream((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      let next = 0;
      const write = () => res.write(`${POSTS[next++ % POSTS.length]}\r\n`);
      write();
      const timer = setInterval(write, 50);
      res.on('close', () => clearInterval(timer));
    });
    const run = startBin(['stream'], { env: env() });
    await run.waitFor('stdout', (text) => text.includes('\n'));
    run.child.stdout?.destroy();
    const result = await run.exited;
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/birdstream: the output was closed after /);
    await streamRequests()[0]?.closed;
  });

  it('stops after --duration', async () => {
    serve([]);
    const result = await runBin(['stream', '--duration', '300ms'], { env: env() });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/birdstream: reached --duration after .*: 0 posts/);
    await streamRequests()[0]?.closed;
  });

  it('explains a 409 (no rules) in one line and exits 2', async () => {
    x.onStream((_req, res) => {
      res.writeHead(409, { 'content-type': 'application/problem+json' });
      res.end(readFixtureText('errors/stream_connect_409_rule_configuration_issue_no_rules.json'));
    });
    const result = await runBin(['stream'], { env: env() });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expectOneLineError(
      result.stderr,
      /no rules \(409 RuleConfigurationIssue\): add rules first with `birdstream rules sync rules\.json`/,
    );
    expect(streamRequests()).toHaveLength(1);
  });

  it('explains a rejected token in one line, exits 2, never prints the token', async () => {
    const result = await runBin(['stream'], {
      env: { X_BEARER_TOKEN: 'wrong-token-123', BIRDSTREAM_BASE_URL: x.url },
    });
    expect(result.code).toBe(2);
    expectOneLineError(result.stderr, /X rejected the bearer token \(401 Unauthorized\)/);
    expect(result.stderr).not.toContain('wrong-token-123');
  });

  it('asks for backfill_minutes with --backfill N', async () => {
    serve(POSTS);
    const result = await runBin(['stream', '--backfill', '2', '--limit', '1', '--quiet'], {
      env: env(),
    });
    expect(result.code).toBe(0);
    expect(streamRequests()[0]?.query.get('backfill_minutes')).toBe('2');
  });

  it('adds a stack trace with BIRDSTREAM_DEBUG=1, still without the token', async () => {
    const result = await runBin(['stream'], {
      env: { X_BEARER_TOKEN: `${TOKEN}x`, BIRDSTREAM_BASE_URL: x.url, BIRDSTREAM_DEBUG: '1' },
    });
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toMatch(/^birdstream: X rejected the bearer token/);
    expect(result.stderr).toMatch(/AuthenticationError.*\n\s+at /);
    expectNoToken(result);
  });

  it('refuses bad flags before connecting', async () => {
    const field = await runBin(['stream', '--tweet-fields', 'created_at,colour'], { env: env() });
    expect(field.code).toBe(2);
    expectOneLineError(
      field.stderr,
      /--tweet-fields: unknown value 'colour'\. Valid values: article, /,
    );
    const backfill = await runBin(['stream', '--backfill', '9'], { env: env() });
    expect(backfill.code).toBe(2);
    expectOneLineError(backfill.stderr, /--backfill must be a whole number from 1 to 5, got '9'/);
    const append = await runBin(['stream', '--append'], { env: env() });
    expect(append.code).toBe(2);
    expectOneLineError(append.stderr, /--append needs --output <file>/);
    expect(streamRequests()).toHaveLength(0);
  });
});
