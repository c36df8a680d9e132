import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, expect, test } from 'vitest';
import { type Emulator, startEmulator } from '../../src/index.js';
import { rawRequest } from '../helpers/raw-stream.js';

// Core's README example of ConnectionsClient and UsageClient runs as written (with node, the
// built @birdstream/core) against the emulator, with one stream connection open to list and kill.
const readme = readFileSync(
  fileURLToPath(new URL('../../../core/README.md', import.meta.url)),
  'utf8',
);
const section = readme.slice(readme.indexOf('## Connections and usage'));
const example = /```ts\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
const packageDir = fileURLToPath(new URL('../../', import.meta.url));
const TOKEN = 'readme-admin-token';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
});

test("core README's ConnectionsClient and UsageClient example runs as written", async () => {
  expect(example).toContain('new ConnectionsClient(');
  emu = await startEmulator({
    seed: 2,
    rate: 50,
    timeScale: 10,
    bearerToken: TOKEN,
    usageCap: 100_000,
    rules: [{ value: 'coffee OR cats', tag: 'c' }],
  });
  const open = await rawRequest(emu.url, '/2/tweets/search/stream', {
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  expect(open.status).toBe(200);
  await open.until(() => open.postIds().length > 0);
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--input-type=module', '-e', example],
    {
      cwd: packageDir,
      env: { PATH: process.env.PATH, X_BEARER_TOKEN: TOKEN, BIRDSTREAM_BASE_URL: emu.url },
    },
  );
  const lines = stdout.trim().split('\n');
  // list(): the open connection, by its UUID, endpoint and time.
  expect(lines[0]).toMatch(/^[0-9a-f-]{36} filtered_stream \d{4}-\d\d-\d\dT/);
  // kill(): the one listed; killEndpoint('firehose_stream'): none there.
  expect(stdout).toContain('1 killed, 0 not; 0 on the firehose');
  expect(await open.closed()).not.toBe('open');
  // get(): what the project read against its cap.
  expect(stdout).toMatch(/^\d+ of 100000 posts read \(\d+\.\d %\)$/m);
}, 60_000);
