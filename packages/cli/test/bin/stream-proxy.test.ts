import { once } from 'node:events';
import { createServer } from 'node:net';
import { type ForwardProxy, readFixtureText, startForwardProxy } from '@birdstream/test-utils';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type BinResult, runBin } from '../helpers/bin.js';
import { expectNoToken, TOKEN } from '../helpers/env.js';
import { type FakeX, startFakeX } from '../helpers/fake-x.js';

/** Proxy credentials; the password is long enough for the redactor (8+ characters). */
const USER = 'proxyuser';
const PASSWORD = 'pr0xy-s3cret-pass';
const CREDENTIALS = `${USER}:${PASSWORD}`;

const POSTS = readFixtureText('stream/twarc-csv/streaming_output.jsonl')
  .split('\n')
  .filter((line) => line.startsWith('{"data"'))
  .slice(0, 3);

let x: FakeX;
let proxy: ForwardProxy;
beforeAll(async () => {
  x = await startFakeX({ token: TOKEN });
  x.onStream((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    for (const line of POSTS) res.write(`${line}\r\n`);
    const timer = setInterval(() => res.write('\r\n'), 50);
    res.on('close', () => clearInterval(timer));
  });
  proxy = await startForwardProxy(CREDENTIALS);
});
afterEach(() => {
  x.requests.length = 0;
  proxy.seen.length = 0;
});
afterAll(async () => {
  await proxy.close();
  await x.close();
});

/** The proxy URL with credentials, as a user would set it. */
const proxyWithCredentials = () => `http://${USER}:${PASSWORD}@127.0.0.1:${proxy.port}`;

/** No form of the proxy credentials (or the token) in anything printed. */
function expectNoSecrets(result: BinResult): void {
  expectNoToken(result);
  const base64 = Buffer.from(CREDENTIALS).toString('base64');
  for (const form of [PASSWORD, CREDENTIALS, base64, encodeURIComponent(PASSWORD)]) {
    expect(result.stdout).not.toContain(form);
    expect(result.stderr).not.toContain(form);
  }
}

/** A loopback port nothing listens on (bound, then released). */
async function refusedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const streamPath = '/2/tweets/sample/stream';

describe('birdstream stream through a proxy', () => {
  it('goes through HTTP_PROXY (with proxy authentication) and never prints its credentials', async () => {
    const result = await runBin(['stream', '--sample', '--limit', '2'], {
      env: {
        X_BEARER_TOKEN: TOKEN,
        BIRDSTREAM_BASE_URL: x.url,
        HTTP_PROXY: proxyWithCredentials(),
      },
    });
    expect(result.stderr).toContain(
      `connecting to 127.0.0.1:${new URL(x.url).port} via the proxy http://127.0.0.1:${proxy.port}.`,
    );
    expect(result.code).toBe(0);
    expect(result.stdout.trimEnd().split('\n')).toHaveLength(2);
    // The proxy saw the stream request, in absolute form, with the right credentials.
    const proxied = proxy.seen.filter((r) => r.target.startsWith(`${x.url}${streamPath}`));
    expect(proxied).toHaveLength(1);
    expect(proxied[0]).toMatchObject({ method: 'GET', allowed: true });
    expect(x.requests.filter((r) => r.path === streamPath)).toHaveLength(1);
    expectNoSecrets(result);
  });

  it('goes through --proxy, which wins over the environment', async () => {
    const unused = await refusedPort();
    const result = await runBin(
      ['stream', '--sample', '--limit', '1', '--proxy', proxyWithCredentials()],
      {
        env: {
          X_BEARER_TOKEN: TOKEN,
          BIRDSTREAM_BASE_URL: x.url,
          http_proxy: `http://127.0.0.1:${unused}`,
        },
      },
    );
    expect(result.code).toBe(0);
    expect(proxy.seen.filter((r) => r.target.startsWith(`${x.url}${streamPath}`))).toHaveLength(1);
    expect(proxy.seen.every((r) => r.allowed)).toBe(true);
    expectNoSecrets(result);
  });

  it('connects directly to a host listed in NO_PROXY', async () => {
    const result = await runBin(['stream', '--sample', '--limit', '1'], {
      env: {
        X_BEARER_TOKEN: TOKEN,
        BIRDSTREAM_BASE_URL: x.url,
        http_proxy: proxyWithCredentials(),
        no_proxy: 'localhost,127.0.0.1',
      },
    });
    expect(result.code).toBe(0);
    expect(proxy.seen).toEqual([]);
    expect(x.requests.filter((r) => r.path === streamPath)).toHaveLength(1);
    expect(result.stderr).not.toContain('via the proxy');
  });

  it('names the proxy, never its credentials, when the proxy is not running', async () => {
    const port = await refusedPort();
    const result = await runBin(['stream', '--sample', '--connect-attempts', '2'], {
      env: {
        X_BEARER_TOKEN: TOKEN,
        BIRDSTREAM_BASE_URL: x.url,
        HTTP_PROXY: `http://${USER}:${PASSWORD}@127.0.0.1:${port}`,
      },
    });
    expect(result.code).toBe(2);
    const last = result.stderr.trimEnd().split('\n').at(-1) ?? '';
    expect(last).toMatch(
      new RegExp(
        `^birdstream: Could not connect to ${x.url}${streamPath} via the proxy http://127\\.0\\.0\\.1:${port}: the proxy at http://127\\.0\\.0\\.1:${port} could not be reached \\(ECONNREFUSED\\)\\. Gave up after 2 attempts .*: check that the proxy runs at that address \\(--proxy, HTTPS_PROXY or HTTP_PROXY\\); the API itself was never tried\\.$`,
      ),
    );
    // The retry line names the proxy's hop too, not the healthy target.
    expect(result.stderr).toContain(
      `could not connect to 127.0.0.1:${new URL(x.url).port} (the proxy at http://127.0.0.1:${port} could not be reached (ECONNREFUSED)); retrying`,
    );
    expect(last).not.toContain('check --base-url');
    expect(x.requests).toEqual([]);
    expectNoSecrets(result);
  });

  it('names the proxy as the hop that failed when it cannot reach the API (CONNECT answered 502)', async () => {
    const open = await startForwardProxy();
    try {
      const dead = await refusedPort();
      const result = await runBin(
        ['stream', '--sample', '--connect-attempts', '1', '--proxy', open.url],
        { env: { X_BEARER_TOKEN: TOKEN, BIRDSTREAM_BASE_URL: `https://127.0.0.1:${dead}` } },
      );
      expect(result.code).toBe(2);
      const last = result.stderr.trimEnd().split('\n').at(-1) ?? '';
      expect(last).toContain(
        `birdstream: Could not connect to https://127.0.0.1:${dead}${streamPath} via the proxy ${open.url}: the proxy at ${open.url} could not reach 127.0.0.1:${dead} (HTTP 502 from the proxy). Gave up after 1 attempt over `,
      );
      expect(last).toMatch(
        / without ever connecting \(--connect-attempts, --connect-timeout-total\): the proxy runs but cannot reach the API: check the proxy's own network access to that host \(firewall, DNS, allow-list\)\.$/,
      );
    } finally {
      await open.close();
    }
  });

  it('stops at once when the proxy refuses the credentials (407), naming the proxy', async () => {
    const result = await runBin(
      ['stream', '--sample', '--proxy', `http://${USER}:wrong-password-1@127.0.0.1:${proxy.port}`],
      { env: { X_BEARER_TOKEN: TOKEN, BIRDSTREAM_BASE_URL: x.url } },
    );
    expect(result.code).toBe(2);
    expect(proxy.seen).toHaveLength(1);
    expect(proxy.seen[0]?.allowed).toBe(false);
    expect(result.stderr.trimEnd().split('\n').at(-1)).toBe(
      `birdstream: The proxy http://127.0.0.1:${proxy.port} refused its credentials (407 Proxy Authentication Required): check the user and password in --proxy or HTTP_PROXY/HTTPS_PROXY.`,
    );
    expect(result.stderr).not.toContain('wrong-password-1');
    expect(x.requests).toEqual([]);
    expectNoSecrets(result);
  });

  it('refuses a proxy URL that is not http://, without quoting it', async () => {
    const result = await runBin(['stream', '--sample', '--proxy', `socks5://${CREDENTIALS}@h:1`], {
      env: { X_BEARER_TOKEN: TOKEN, BIRDSTREAM_BASE_URL: x.url },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^birdstream: --proxy must be an http:\/\/ proxy URL/);
    expectNoSecrets(result);
  });
});

describe('birdstream stream that never connects', () => {
  it('ends after --connect-attempts on a refused port, with one clear line and exit 2', async () => {
    const port = await refusedPort();
    const base = `http://127.0.0.1:${port}`;
    const result = await runBin(['stream', '--sample', '--connect-attempts', '3'], {
      env: { X_BEARER_TOKEN: TOKEN, BIRDSTREAM_BASE_URL: base },
    });
    expect(result.code).toBe(2);
    const lines = result.stderr.trimEnd().split('\n');
    // Two retries, then the final line; nothing ever connected, so nothing was "lost".
    expect(lines.slice(0, -1)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^birdstream: could not connect to 127\\.0\\.0\\.1:${port} \\(.*\\); retrying in .* \\(attempt 1\\)\\.$`,
        ),
      ),
      expect.stringMatching(/could not connect to .*\(attempt 2\)\.$/),
    ]);
    expect(result.stderr).not.toContain('connection lost');
    expect(result.stderr).not.toMatch(/\bX\b/);
    expect(lines.at(-1)).toMatch(
      new RegExp(
        `^birdstream: Could not connect to ${base}${streamPath}: the connection was refused\\. Gave up after 3 attempts over .* without ever connecting \\(--connect-attempts, --connect-timeout-total\\): check that a server runs on the host and port of --base-url \\(or BIRDSTREAM_BASE_URL\\)\\.$`,
      ),
    );
    // One sentence, one final period (it once ended "…host and port?.").
    expect(lines.at(-1)).not.toContain('?.');
    expectNoToken(result);
  });

  it('ends on a host that does not resolve, naming DNS', async () => {
    const result = await runBin(
      [
        'stream',
        '--sample',
        '--connect-attempts',
        '2',
        '--base-url',
        'http://birdstream-test.invalid',
      ],
      { env: { X_BEARER_TOKEN: TOKEN } },
    );
    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split('\n').at(-1)).toMatch(
      /^birdstream: Could not connect to http:\/\/birdstream-test\.invalid\/2\/tweets\/sample\/stream: the host name does not resolve \(DNS\)\. Gave up after 2 attempts .*check the host in --base-url/,
    );
    expect(result.stderr).toContain('could not connect to birdstream-test.invalid');
    expectNoToken(result);
  });

  it('ends after --connect-timeout-total even when attempts remain', async () => {
    const port = await refusedPort();
    const result = await runBin(
      ['stream', '--sample', '--connect-attempts', '1000', '--connect-timeout-total', '2s'],
      { env: { X_BEARER_TOKEN: TOKEN, BIRDSTREAM_BASE_URL: `http://127.0.0.1:${port}` } },
    );
    expect(result.code).toBe(2);
    const last = result.stderr.trimEnd().split('\n').at(-1) ?? '';
    const attempts = Number(/Gave up after (\d+) attempts? over/.exec(last)?.[1]);
    // Back-off for network failures starts at 250 ms and grows: a handful of attempts in 2 s of
    // wall time (the bin runs on the real clock), far from 1000. 2 s is generous on purpose:
    // a busy machine still fits a retry after the first 250 ms.
    expect(attempts).toBeGreaterThan(1);
    expect(attempts).toBeLessThan(10);
  });

  it('after --max-retries, the last line says it gave up, after how many attempts, and the cause', async () => {
    const port = await refusedPort();
    const result = await runBin(['stream', '--sample', '--max-retries', '1'], {
      env: { X_BEARER_TOKEN: TOKEN, BIRDSTREAM_BASE_URL: `http://127.0.0.1:${port}` },
    });
    expect(result.code).toBe(2);
    const last = result.stderr.trimEnd().split('\n').at(-1) ?? '';
    expect(last).toMatch(
      /^birdstream: .*ECONNREFUSED.*Gave up after 2 attempts over .* \(--max-retries\)/,
    );
  });
});
