// `pnpm check:packed`: packs every public package exactly as `pnpm publish`
// would, installs the tarballs with npm into a fresh project outside the
// repository, and uses them there as a user would: every entry point from ESM
// and CommonJS, a strict TypeScript consumer, the emulator, StreamClient,
// fromFilteredStream and the `birdstream` bin. See decisions/0010.
//
// Needs a build first (`pnpm build`; `pnpm check` runs it). Plain Node, no
// dependencies; Linux or macOS with `npm`, `npx` and `tar` on PATH; the npm
// registry for the packages' registry dependencies. The repository's own
// TypeScript compiles the consumer. BIRDSTREAM_SMOKE_KEEP=1 keeps the temp dir.
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleCli, packRelease, publishablePackages } from './pack-release.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url)).replace(/[\\/]$/, '');
const rootPkg = readJson(join(ROOT, 'package.json'));
const TOKEN = `smoke-${randomUUID()}`;
const started = Date.now();

/** Names each entry point must export: proof that the right module loaded. */
const EXPECTED_EXPORTS = {
  '@birdstream/core/internal': ['StreamSupervisor', 'translateMessage'],
  '@birdstream/core': ['StreamClient', 'isApiError', 'resolveBaseUrl', 'LineDecoder'],
  '@birdstream/rules': ['RulesClient', 'validateRule', 'loadRules'],
  '@birdstream/rx': ['fromFilteredStream', 'retryStream', 'responses', 'dedupeById'],
  '@birdstream/testing': ['startEmulator', 'EMULATOR_TOPICS'],
  '@birdstream/testing/msw': ['createXApiHandlers'],
  '@birdstream/cli': ['run', 'ExitCode'],
  '@birdstream/webhooks': ['WebhookReceiver', 'WebhooksClient', 'verifyWebhookSignature'],
  '@birdstream/webhooks/node': ['nodeWebhook', 'expressWebhook', 'fastifyWebhook'],
  '@birdstream/webhooks/hono': ['honoWebhook'],
  '@birdstream/webhooks/rx': ['fromWebhook', 'webhookEvents'],
  '@birdstream/prometheus': ['BirdstreamMetrics', 'serveMetrics'],
};

/** Paths (inside `package/`) that must never be published. */
const FORBIDDEN = [
  [
    /(^|\/)(test|tests|__tests__|__mocks__|fixtures|__fixtures__|bench|coverage|node_modules)\//,
    'a test, fixture or bench folder',
  ],
  [/\.(test|spec|bench)\.[cm]?[jt]sx?$|\.test-d\.ts$/, 'a test file'],
  [/\.tsbuildinfo$/, 'a TypeScript build-info file'],
  [/(^|\/)(vitest|vite|tsdown|tsup)\.(config|workspace)\.[cm]?[jt]s$/, 'a build/test config'],
  [/(^|\/)tsconfig[^/]*\.json$/, 'a tsconfig'],
  [/\.(jsonl|ndjson|log)$/, 'a data or log file'],
];

// ---------------------------------------------------------------- plumbing --

class SmokeError extends Error {
  constructor(message, details = '') {
    super(message);
    this.details = details;
  }
}

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function fail(message, details) {
  throw new SmokeError(message, details);
}

function check(condition, message, details) {
  if (!condition) fail(message, details);
}

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
let stepNumber = 0;
const STEPS = 10;
let currentStep = 'start';

async function step(title, body) {
  currentStep = title;
  stepNumber += 1;
  console.log(`\n[${stepNumber}/${STEPS}] ${title}`);
  const t0 = Date.now();
  await body();
  console.log(`      ✓ ${seconds(Date.now() - t0)}`);
}

const info = (line) => console.log(`      ${line}`);

/** Children still running, killed (by process group) on failure or exit. */
const live = new Set();

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {}
  }
}

/**
 * The environment for commands run in the temp project: without the variables
 * a `pnpm run` in the repository sets (npm_config_local_prefix points npm at
 * the repository, npm_package_* describe it), keeping the user's registry,
 * cache and proxy settings.
 */
function cleanEnv(extra = {}) {
  const keep =
    /^npm_config_(registry|cache|userconfig|globalconfig|cafile|ca|strict_ssl|proxy|https_proxy|noproxy|@[^:]+:registry)$/i;
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm|pnpm)_/i.test(key) && !keep.test(key)) continue;
    if (key === 'INIT_CWD' || key === 'PNPM_PACKAGE_NAME') continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

function tail(text, lines = 40) {
  const all = text.trimEnd().split('\n');
  return (all.length > lines ? ['…', ...all.slice(-lines)] : all).join('\n');
}

function describeRun(label, result) {
  const out = [`$ ${label}`, `exit: ${result.signal ?? result.code}`];
  if (result.stdout.trim()) out.push('--- stdout', tail(result.stdout));
  if (result.stderr.trim()) out.push('--- stderr', tail(result.stderr));
  return out.join('\n');
}

/**
 * Runs a command to completion in its own process group; rejects with the
 * command's output when it exits with an unexpected code or outlives
 * `timeoutMs`.
 */
function run(cmd, args, { cwd, env = cleanEnv(), timeoutMs = 60_000, expectCode = 0 } = {}) {
  const label = [cmd, ...args].join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child, 'SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      live.delete(child);
      reject(new SmokeError(`Cannot run \`${cmd}\`: ${error.message}. Is it on PATH?`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      live.delete(child);
      const result = { code, signal, stdout, stderr };
      if (timedOut) {
        reject(
          new SmokeError(
            `\`${label}\` did not finish within ${seconds(timeoutMs)}.`,
            describeRun(label, result),
          ),
        );
      } else if (code !== expectCode) {
        reject(
          new SmokeError(
            `\`${label}\` exited with ${signal ?? code}, expected ${expectCode}.`,
            describeRun(label, result),
          ),
        );
      } else resolve(result);
    });
  });
}

function assertNoToken(label, ...texts) {
  for (const text of texts) {
    check(
      !text.includes(TOKEN),
      `The bearer token appeared in the output of ${label}.`,
      tail(text),
    );
  }
}

// ------------------------------------------------------------------- steps --

/** Public packages of the workspace, in directory order. */
function newestMtime(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

function oldestMtime(path) {
  let oldest = Number.POSITIVE_INFINITY;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const full = join(path, entry.name);
    oldest = Math.min(oldest, entry.isDirectory() ? oldestMtime(full) : statSync(full).mtimeMs);
  }
  return oldest;
}

function preflight(packages) {
  const [major, minor] = process.versions.node.split('.').map(Number);
  check(
    major > 20 || (major === 20 && minor >= 19),
    `Node ${process.versions.node} is too old: the packages need Node 20.19+ (require(esm)).`,
  );
  check(packages.length > 0, 'No public package found under packages/.');
  for (const { dir, pkg } of packages) {
    const dist = join(dir, 'dist');
    const where = relative(ROOT, dir);
    check(
      existsSync(dist),
      `${where}/dist is missing: run \`pnpm build\` first (\`pnpm check\` does).`,
    );
    const sources = Math.max(
      newestMtime(join(dir, 'src')),
      ...['package.json', 'tsdown.config.ts']
        .filter((f) => existsSync(join(dir, f)))
        .map((f) => statSync(join(dir, f)).mtimeMs),
    );
    check(
      oldestMtime(dist) >= sources,
      `${where}/dist is older than its sources: run \`pnpm build\` first, or this would test stale code.`,
    );
    check(!pkg.version.includes('workspace'), `${pkg.name} has no real version.`);
  }
  info(
    `Node ${process.versions.node}; ${packages.map((p) => p.pkg.name).join(', ')}; dist/ up to date`,
  );
}

/** The CLI with its dependencies inside (`bundleCli`), for the global install. */
let standaloneCli;

async function pack(packages, dest) {
  // The same packing as `pnpm pack:release` (scripts/pack-release.mjs).
  let tarballs;
  try {
    tarballs = packRelease(dest, packages);
    standaloneCli = bundleCli(tarballs, packages);
  } catch (error) {
    fail('pnpm pack:release could not pack the packages.', String(error?.message ?? error));
  }
  for (const { pkg } of packages) {
    const file = tarballs.get(pkg.name);
    info(
      `${pkg.name}@${pkg.version}  ${basename(file)}  ${(statSync(file).size / 1024).toFixed(0)} kB`,
    );
  }
  return tarballs;
}

/**
 * What the README's "Install from a release tarball" says: `npm install -g`
 * of the CLI's one tarball (its dependencies bundled inside), outside the
 * repository; then `birdstream --version`, and no @birdstream library
 * installed as a global package beside it.
 */
async function installCliAlone(prefix, version) {
  const files = [standaloneCli];
  info(`npm install -g ${files.map((f) => basename(f)).join(' ')} (prefix ${prefix})`);
  mkdirSync(prefix, { recursive: true });
  await run(
    'npm',
    ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', '--prefer-offline', ...files],
    { cwd: prefix, timeoutMs: 240_000 },
  );
  const bird = join(prefix, 'bin', 'birdstream');
  const { stdout } = await run(bird, ['--version'], { cwd: prefix, timeoutMs: 30_000 });
  check(
    stdout.trim() === version,
    `birdstream --version printed ${stdout.trim()}, not ${version}.`,
  );
  const globals = readdirSync(join(prefix, 'lib', 'node_modules', '@birdstream'));
  check(
    globals.join(',') === 'cli',
    `npm install -g of the CLI installed ${globals.map((n) => `@birdstream/${n}`).join(', ')} as global packages; only @birdstream/cli belongs there.`,
  );
  const inside = join(prefix, 'lib', 'node_modules', '@birdstream', 'cli', 'node_modules');
  for (const name of ['core', 'rules', 'redis', 'prometheus']) {
    check(
      existsSync(join(inside, '@birdstream', name, 'package.json')),
      `@birdstream/${name} is not inside the CLI's install.`,
    );
  }
  info(`birdstream --version: ${stdout.trim()}`);
}

async function tarList(file) {
  const { stdout } = await run('tar', ['-tzf', file], { timeoutMs: 30_000 });
  return stdout.split('\n').filter(Boolean);
}

async function tarRead(file, path) {
  const { stdout } = await run('tar', ['-xzOf', file, path], { timeoutMs: 30_000 });
  return stdout;
}

function fixtureBasenames() {
  const dir = join(ROOT, 'packages', 'test-utils', 'fixtures');
  const names = new Set();
  const visit = (path) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      if (entry.isDirectory()) visit(join(path, entry.name));
      else if (!['README.md', 'PROVENANCE.md', 'index.json'].includes(entry.name))
        names.add(entry.name);
    }
  };
  if (existsSync(dir)) visit(dir);
  return names;
}

async function inspect(packages, tarballs) {
  const license = readFileSync(join(ROOT, 'LICENSE'), 'utf8');
  const fixtures = fixtureBasenames();
  const versions = new Map(packages.map(({ pkg }) => [pkg.name, pkg.version]));
  const manifests = new Map();
  for (const { pkg } of packages) {
    const file = tarballs.get(pkg.name);
    const entries = await tarList(file);
    const files = entries.filter((e) => !e.endsWith('/')).map((e) => e.replace(/^package\//, ''));
    const problems = [];
    for (const required of ['package.json', 'README.md', 'LICENSE']) {
      if (!files.includes(required)) problems.push(`${required} is missing`);
    }
    for (const path of files) {
      for (const [pattern, what] of FORBIDDEN)
        if (pattern.test(path)) problems.push(`${path} is ${what}`);
      if (fixtures.has(basename(path))) problems.push(`${path} has the name of a recorded fixture`);
    }
    if (files.includes('LICENSE') && (await tarRead(file, 'package/LICENSE')) !== license) {
      problems.push('LICENSE differs from the repository LICENSE');
    }
    const manifest = JSON.parse(await tarRead(file, 'package/package.json'));
    manifests.set(pkg.name, manifest);
    for (const field of [
      'dependencies',
      'peerDependencies',
      'optionalDependencies',
      'devDependencies',
    ]) {
      for (const [dep, range] of Object.entries(manifest[field] ?? {})) {
        if (/^(workspace|catalog|link|file|portal):/.test(range)) {
          problems.push(`${field}.${dep} is "${range}", which npm cannot install`);
        } else if (field !== 'devDependencies' && versions.has(dep)) {
          const v = versions.get(dep);
          if (![v, `^${v}`, `~${v}`].includes(range)) {
            problems.push(
              `${field}.${dep} is "${range}", which does not name the packed ${dep}@${v}`,
            );
          }
        }
      }
    }
    for (const [name, target] of Object.entries(manifest.bin ?? {})) {
      const path = target.replace(/^\.\//, '');
      if (!files.includes(path)) problems.push(`bin ${name} → ${target} is not in the tarball`);
      else if (!(await tarRead(file, `package/${path}`)).startsWith('#!/usr/bin/env node')) {
        problems.push(`bin ${name} → ${target} does not start with #!/usr/bin/env node`);
      }
    }
    check(
      problems.length === 0,
      `The ${pkg.name} tarball is not publishable as packed:`,
      problems.map((p) => `  - ${p}`).join('\n'),
    );
    const dist = files.filter((f) => f.startsWith('dist/')).length;
    info(
      `${pkg.name}: ${files.length} files (${dist} in dist/), README.md, LICENSE, no tests/fixtures/.tsbuildinfo, ranges ok`,
    );
  }
  return manifests;
}

/** Exact versions the repository tests with, for the peers a user installs. */
function peerInstallSpecs(packages) {
  const specs = new Map();
  for (const { pkg } of packages) {
    for (const [name, range] of Object.entries(pkg.peerDependencies ?? {})) {
      if (name.startsWith('@birdstream/') || specs.has(name)) continue;
      const tested =
        packages.map((p) => p.pkg.devDependencies?.[name]).find(Boolean) ??
        rootPkg.devDependencies?.[name];
      specs.set(name, `${name}@${tested ?? range}`);
    }
  }
  const typesNode = rootPkg.devDependencies?.['@types/node'] ?? '^20.19.0';
  specs.set('@types/node', `@types/node@${typesNode}`);
  return [...specs.values()];
}

async function install(packages, tarballs, project) {
  mkdirSync(project, { recursive: true });
  writeFileSync(
    join(project, 'package.json'),
    `${JSON.stringify({ name: 'birdstream-packed-smoke', version: '1.0.0', private: true }, null, 2)}\n`,
  );
  const peers = peerInstallSpecs(packages);
  const files = packages.map(({ pkg }) => tarballs.get(pkg.name));
  info(`npm install ${files.map((f) => basename(f)).join(' ')} ${peers.join(' ')}`);
  await run(
    'npm',
    [
      'install',
      '--prefix',
      project,
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      ...files,
      ...peers,
    ],
    {
      cwd: project,
      timeoutMs: 240_000,
    },
  );

  // Every @birdstream package must come from its tarball, once: a range that
  // the packed sibling does not satisfy would make npm fetch it from the registry.
  const lock = readJson(join(project, 'package-lock.json')).packages ?? {};
  const problems = [];
  for (const { pkg } of packages) {
    const entry = lock[`node_modules/${pkg.name}`];
    if (!entry) problems.push(`${pkg.name} is not installed`);
    else if (!String(entry.resolved).startsWith('file:'))
      problems.push(`${pkg.name} came from ${entry.resolved}, not its tarball`);
    else if (entry.version !== pkg.version)
      problems.push(`${pkg.name} is ${entry.version}, packed ${pkg.version}`);
  }
  for (const key of Object.keys(lock)) {
    if (/node_modules\/.+\/node_modules\/@birdstream\//.test(key))
      problems.push(`a second copy is installed at ${key}`);
  }
  check(
    problems.length === 0,
    'npm did not install the tarballs as expected:',
    problems.map((p) => `  - ${p}`).join('\n'),
  );
  const count = Object.keys(lock).filter((k) => k.startsWith('node_modules/')).length;
  info(
    `${count} packages installed; every @birdstream package resolved from its tarball, one copy each`,
  );
}

function entryPoints(manifests) {
  const out = [];
  for (const [name, manifest] of manifests) {
    for (const subpath of Object.keys(manifest.exports ?? { '.': null })) {
      if (subpath === './package.json') continue;
      const specifier = subpath === '.' ? name : `${name}/${subpath.slice(2)}`;
      const expected = specifier in EXPECTED_EXPORTS ? EXPECTED_EXPORTS[specifier] : [];
      out.push({ name, specifier, expected });
    }
  }
  return out;
}

const ESM_ENTRIES = `
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
const entries = JSON.parse(process.argv[2]);
const modules = fileURLToPath(new URL('./node_modules/', import.meta.url));
const require = createRequire(import.meta.url);
for (const { name, specifier, expected } of entries) {
  const path = fileURLToPath(import.meta.resolve(specifier));
  assert.ok(path.startsWith(modules + name + '/dist/'), specifier + ' resolved to ' + path + ', not to dist/ of the installed package');
  const module = await import(specifier);
  const keys = Object.keys(module);
  assert.ok(keys.length > 0, specifier + ' exports nothing');
  for (const key of expected) assert.ok(module[key] !== undefined, specifier + ' does not export ' + key);
  const manifest = require(name + '/package.json');
  console.log(specifier + ': ' + keys.length + ' exports from ' + path.slice(modules.length) + ' (' + manifest.version + ')');
}
`;

const CJS_ENTRIES = `
const assert = require('node:assert/strict');
const entries = JSON.parse(process.argv[2]);
(async () => {
  for (const { specifier, expected } of entries) {
    const module = require(specifier);
    assert.ok(Object.keys(module).length > 0, 'require(' + specifier + ') returned no exports');
    for (const key of expected) assert.ok(module[key] !== undefined, 'require(' + specifier + ') has no ' + key);
    const esm = await import(specifier);
    for (const key of expected ?? []) {
      assert.equal(module[key], esm[key], specifier + ': ' + key + ' from require() is not the one from import()');
    }
    console.log("require('" + specifier + "'): " + Object.keys(module).length + ' exports, same bindings as import()');
  }
})().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
`;

const TS_CONSUMER = `
import { isApiError, StreamClient, type Clock, type FilteredStreamResponseFor } from '@birdstream/core';
import { RulesClient } from '@birdstream/rules';
import { fromFilteredStream, responses } from '@birdstream/rx';
import { startEmulator, type EmulatorOptions } from '@birdstream/testing';
import { createXApiHandlers } from '@birdstream/testing/msw';
import { ExitCode, run } from '@birdstream/cli';
import { WebhookReceiver } from '@birdstream/webhooks';
import { take } from 'rxjs';

const options: EmulatorOptions = { seed: 1, rules: [{ value: 'coffee', tag: 'coffee' }] };
const emu = await startEmulator(options);
const clock: Clock = emu.clock;
const client = new StreamClient({ bearerToken: 't', baseUrl: emu.url, clock });
for await (const response of client.filter({ 'tweet.fields': ['created_at'] })) {
  const created: string = response.data.created_at;
  const tags: (string | null | undefined)[] = response.matching_rules.map((rule) => rule.tag);
  console.log(created, tags);
  break;
}
type Typed = FilteredStreamResponseFor<{ expansions: ['author_id'] }>;
fromFilteredStream(client, { expansions: ['author_id'] })
  .pipe(responses(), take(1))
  .subscribe((response: Typed) => console.log(response.data.author_id.length));
const rules = new RulesClient({ bearerToken: 't', baseUrl: emu.url });
console.log(await rules.list(), isApiError(new Error('x')));
const x = createXApiHandlers({ seed: 1 });
console.log(x.handlers.length);
const code: number = await run(['--help'], { env: {}, stdout: process.stdout, stderr: process.stderr });
console.log(code === ExitCode.ok);
const receiver = new WebhookReceiver({
  consumerSecret: 's',
  fields: { 'tweet.fields': ['created_at'] },
  onDelivery: ({ response }) => {
    const created: string = response.data.created_at;
    console.log(created);
  },
});
console.log(typeof receiver.fetch);
await emu.close();
`;

const TS_CONFIG = {
  compilerOptions: {
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    verbatimModuleSyntax: true,
    module: 'nodenext',
    moduleResolution: 'nodenext',
    target: 'es2022',
    types: ['node'],
    skipLibCheck: false,
    noEmit: true,
  },
  files: ['consumer.mts'],
};

const IN_PROCESS = `
import assert from 'node:assert/strict';
import { StreamClient } from '@birdstream/core';
import { startEmulator } from '@birdstream/testing';
import { createXApiHandlers } from '@birdstream/testing/msw';
import { EMULATOR_CONSUMER_SECRET } from '@birdstream/testing';
import { WebhookReceiver, WebhooksClient } from '@birdstream/webhooks';
import { nodeWebhook } from '@birdstream/webhooks/node';
import { createServer } from 'node:http';
import { setupServer } from 'msw/node';

const token = process.env.SMOKE_TOKEN;
const emu = await startEmulator({ seed: 3, rate: 20, timeScale: 10, bearerToken: token, rules: [{ value: 'coffee OR cat', tag: 'smoke' }] });
try {
  const client = new StreamClient({ bearerToken: token, baseUrl: emu.url, clock: emu.clock });
  const ids = [];
  for await (const response of client.filter({ 'tweet.fields': ['created_at'] })) {
    assert.deepEqual(response.matching_rules.map((rule) => rule.tag), ['smoke']);
    ids.push(response.data.id);
    if (ids.length === 3) break;
  }
  const stats = emu.stats();
  assert.equal(stats.connections.length, 1, 'one connection');
  assert.deepEqual(ids, stats.connections[0].postIds.slice(0, 3), 'received exactly the posts the emulator sent');
  console.log('startEmulator + StreamClient: 3 posts, ids equal to what the emulator sent (' + ids.join(', ') + ')');
} finally {
  await emu.close();
}

const hooked = await startEmulator({ seed: 4, rate: 50, timeScale: 10, bearerToken: token, rules: [{ value: 'coffee OR cat OR rain', tag: 'smoke' }] });
const delivered = [];
const receiver = new WebhookReceiver({ consumerSecret: EMULATOR_CONSUMER_SECRET, onDelivery: ({ id }) => void delivered.push(id) });
const webhookServer = createServer(nodeWebhook(receiver));
await new Promise((resolve) => webhookServer.listen(0, '127.0.0.1', resolve));
try {
  const webhooks = new WebhooksClient({ bearerToken: token, baseUrl: hooked.url });
  const webhook = await webhooks.register('http://127.0.0.1:' + webhookServer.address().port + '/webhooks/x');
  await webhooks.link(webhook.id, { 'tweet.fields': ['created_at'] });
  const deadline = Date.now() + 30_000;
  while (delivered.length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  assert.ok(delivered.length >= 3, 'three webhook deliveries within 30 s, got ' + delivered.length);
  assert.equal(receiver.stats.verified, receiver.stats.delivered + receiver.stats.duplicates);
  console.log('WebhooksClient + WebhookReceiver (nodeWebhook): registered with a CRC, linked, ' + delivered.length + ' signed deliveries verified and handed over');
} finally {
  webhookServer.close();
  webhookServer.closeAllConnections();
  await hooked.close();
}

const x = createXApiHandlers({ seed: 3, rules: [{ value: 'coffee', tag: 'smoke' }] });
const server = setupServer(...x.handlers);
server.listen({ onUnhandledRequest: 'error' });
try {
  const res = await fetch('https://api.x.com/2/tweets/search/stream/rules', { headers: { authorization: 'Bearer ' + token } });
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.deepEqual(body.data.map((rule) => [rule.value, rule.tag]), [['coffee', 'smoke']]);
  console.log('createXApiHandlers + msw setupServer: GET https://api.x.com/2/tweets/search/stream/rules answered ' + res.status + ' with the rule');
} finally {
  x.close();
  server.close();
}
`;

const CORE_FROM_ENV = `
import assert from 'node:assert/strict';
import { StreamClient } from '@birdstream/core';

const tags = JSON.parse(process.argv[2]);
const client = new StreamClient({}); // X_BEARER_TOKEN and BIRDSTREAM_BASE_URL
const posts = [];
for await (const response of client.filter({ 'tweet.fields': ['created_at', 'lang'] })) {
  posts.push(response);
  if (posts.length === 3) break;
}
for (const { data, matching_rules } of posts) {
  assert.match(data.id, /^\\d{15,19}$/);
  assert.ok(!Number.isNaN(Date.parse(data.created_at)), 'created_at ' + data.created_at);
  for (const rule of matching_rules) assert.ok(tags.includes(rule.tag), 'unexpected tag ' + rule.tag);
}
console.log('StreamClient (env): ' + posts.map((p) => p.data.id + ' [' + p.matching_rules.map((r) => r.tag).join(',') + ']').join(', '));
`;

const RX_FROM_ENV = `
import assert from 'node:assert/strict';
import { StreamClient } from '@birdstream/core';
import { fromFilteredStream, heartbeatTimeout, responses, retryStream } from '@birdstream/rx';
import { firstValueFrom, take, toArray } from 'rxjs';

const tags = JSON.parse(process.argv[2]);
const posts = await firstValueFrom(
  fromFilteredStream(new StreamClient({}), { expansions: ['author_id'], 'user.fields': ['username'] }).pipe(
    heartbeatTimeout(30_000),
    retryStream({ maxRetries: 0 }),
    responses(),
    take(3),
    toArray(),
  ),
);
assert.equal(posts.length, 3);
for (const { data, includes, matching_rules } of posts) {
  assert.match(data.id, /^\\d{15,19}$/);
  assert.ok(includes.users.some((user) => user.id === data.author_id), 'author expanded');
  for (const rule of matching_rules) assert.ok(tags.includes(rule.tag), 'unexpected tag ' + rule.tag);
}
console.log('fromFilteredStream (env): ' + posts.map((p) => p.data.id).join(', '));
`;

const RULES = [
  { value: 'coffee OR espresso OR #CoffeeTime', tag: 'coffee' },
  { value: 'cat OR cats', tag: 'cats' },
];
const BAD_RULES = [{ value: '(dogs OR puppies has:media', tag: 'unbalanced' }];

/** Starts the installed `birdstream-emulator` bin on a free port; resolves once it listens. */
function startEmulatorBin(project) {
  const bin = join(project, 'node_modules', '.bin', 'birdstream-emulator');
  const args = [
    '--port',
    '0',
    '--seed',
    '11',
    '--rate',
    '20',
    '--time-scale',
    '10',
    '--token',
    TOKEN,
  ];
  const child = spawn(bin, args, {
    cwd: project,
    env: cleanEnv(),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  const emu = { child, stdout: '', stderr: '', exit: undefined };
  child.stdout.setEncoding('utf8').on('data', (d) => (emu.stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d) => (emu.stderr += d));
  emu.exited = new Promise((resolve) =>
    child.on('close', (code, signal) => {
      live.delete(child);
      emu.exit = signal ?? code;
      resolve(emu.exit);
    }),
  );
  const output = () =>
    describeRun(`birdstream-emulator ${args.join(' ').replace(TOKEN, '<token>')}`, {
      code: emu.exit,
      signal: null,
      stdout: emu.stdout,
      stderr: emu.stderr,
    });
  emu.output = output;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(new SmokeError('birdstream-emulator did not print its URL within 15 s.', output())),
      15_000,
    );
    child.on('error', (error) =>
      reject(new SmokeError(`Cannot start birdstream-emulator: ${error.message}`)),
    );
    const onData = () => {
      const match = /listening on (http:\/\/\S+)/.exec(emu.stdout);
      if (!match) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      emu.url = match[1];
      resolve(emu);
    };
    child.stdout.on('data', onData);
    emu.exited.then(() => {
      clearTimeout(timer);
      reject(new SmokeError('birdstream-emulator exited before listening.', output()));
    });
  });
}

async function stopEmulatorBin(emu) {
  killGroup(emu.child, 'SIGTERM');
  let timer;
  const code = await Promise.race([
    emu.exited,
    new Promise((resolve) => {
      timer = setTimeout(() => resolve('timeout'), 5_000);
    }),
  ]);
  clearTimeout(timer);
  if (code === 'timeout') {
    killGroup(emu.child, 'SIGKILL');
    fail('birdstream-emulator did not stop within 5 s of SIGTERM.', emu.output());
  }
  check(
    code === 0,
    `birdstream-emulator exited with ${code} after SIGTERM, expected 0.`,
    emu.output(),
  );
}

/**
 * Bun and Deno from the repository's devDependencies (npm packages `bun`, `deno`): the binary
 * and the arguments that run a script, or why the runtime cannot run here.
 */
function otherRuntimes() {
  const require = createRequire(join(ROOT, 'package.json'));
  const args = {
    bun: ['run'],
    deno: ['run', '--allow-net', '--allow-env', '--no-lock', '--no-prompt'],
  };
  return Object.entries(args).map(([name, runArgs]) => {
    try {
      const manifestPath = require.resolve(`${name}/package.json`);
      const bin = readJson(manifestPath).bin;
      const binary = join(manifestPath, '..', typeof bin === 'string' ? bin : bin[name]);
      const version = execFileSync(binary, ['--version'], { encoding: 'utf8', timeout: 60_000 });
      return {
        name,
        binary,
        version: /\d+\.\d+\.\d+/.exec(version)?.[0] ?? version,
        args: runArgs,
      };
    } catch (error) {
      return { name, reason: String(error?.stderr || error?.message || error).split('\n')[0] };
    }
  });
}

async function inProject(project, label, cmd, args, options = {}) {
  const result = await run(cmd, args, {
    timeoutMs: 30_000,
    ...options,
    cwd: project,
    env: cleanEnv(options.env),
  });
  assertNoToken(label, result.stdout, result.stderr);
  return result;
}

async function endToEnd(project, version) {
  writeFileSync(join(project, 'rules.json'), `${JSON.stringify(RULES, null, 2)}\n`);
  writeFileSync(join(project, 'bad-rules.json'), `${JSON.stringify(BAD_RULES, null, 2)}\n`);
  writeFileSync(join(project, 'core-from-env.mjs'), CORE_FROM_ENV);
  writeFileSync(join(project, 'rx-from-env.mjs'), RX_FROM_ENV);
  const bird = join(project, 'node_modules', '.bin', 'birdstream');

  const emu = await startEmulatorBin(project);
  let failed = true;
  try {
    info(`birdstream-emulator listening on ${emu.url} (token required)`);
    const env = { X_BEARER_TOKEN: TOKEN, BIRDSTREAM_BASE_URL: emu.url };
    const tags = JSON.stringify(RULES.map((r) => r.tag));

    const v = await inProject(project, 'birdstream --version', bird, ['--version'], { env });
    check(
      v.stdout.trim() === version,
      `birdstream --version printed "${v.stdout.trim()}", expected ${version}.`,
    );

    const bad = await inProject(
      project,
      'birdstream rules validate bad-rules.json',
      bird,
      ['rules', 'validate', 'bad-rules.json'],
      { env, expectCode: 1 },
    );
    check(
      bad.stdout.includes('unbalanced-parentheses'),
      'rules validate did not report the unbalanced parenthesis.',
      bad.stdout,
    );
    info('birdstream rules validate bad-rules.json → exit 1, unbalanced-parentheses');

    await inProject(
      project,
      'birdstream rules validate rules.json',
      bird,
      ['rules', 'validate', 'rules.json'],
      { env },
    );
    info('birdstream rules validate rules.json → exit 0');

    const sync = await inProject(
      project,
      'birdstream rules sync',
      bird,
      ['rules', 'sync', 'rules.json', '--json'],
      { env },
    );
    const created = JSON.parse(sync.stdout).outcome?.created ?? [];
    check(
      created.length === RULES.length,
      `rules sync created ${created.length} rules, expected ${RULES.length}.`,
      sync.stdout,
    );
    const list = await inProject(
      project,
      'birdstream rules list',
      bird,
      ['rules', 'list', '--json'],
      { env },
    );
    const stored = JSON.parse(list.stdout)
      .rules.map((r) => `${r.value}|${r.tag}`)
      .sort();
    check(
      JSON.stringify(stored) === JSON.stringify(RULES.map((r) => `${r.value}|${r.tag}`).sort()),
      'rules list does not show the synced rules.',
      list.stdout,
    );
    info(`birdstream rules sync rules.json → created ${created.length}; rules list shows them`);

    const stream = await inProject(
      project,
      'birdstream stream --limit 3',
      bird,
      ['stream', '--limit', '3'],
      { env },
    );
    const lines = stream.stdout.trim().split('\n');
    check(
      lines.length === 3,
      `birdstream stream --limit 3 wrote ${lines.length} lines.`,
      stream.stdout,
    );
    const ids = lines.map((line) => {
      const response = JSON.parse(line);
      check(
        /^\d{15,19}$/.test(response.data?.id),
        'birdstream stream wrote a line without a post id.',
        line,
      );
      check(
        response.matching_rules?.length > 0 &&
          response.matching_rules.every((r) => RULES.some((x) => x.tag === r.tag)),
        'birdstream stream wrote a post without the synced rules.',
        line,
      );
      return response.data.id;
    });
    info(`birdstream stream --limit 3 → ${ids.join(', ')}`);

    const core = await inProject(
      project,
      'core-from-env.mjs',
      process.execPath,
      ['core-from-env.mjs', tags],
      { env },
    );
    info(core.stdout.trim());
    const rx = await inProject(
      project,
      'rx-from-env.mjs',
      process.execPath,
      ['rx-from-env.mjs', tags],
      { env },
    );
    info(rx.stdout.trim());

    // The same two programs on Bun and Deno (root devDependencies), reading the tarballs npm
    // installed, as the README's Runtimes quick start does.
    let expected = 3;
    for (const runtime of otherRuntimes()) {
      if (!runtime.binary) {
        info(`${runtime.name}: skipped, ${runtime.reason}`);
        continue;
      }
      for (const script of ['core-from-env.mjs', 'rx-from-env.mjs']) {
        const result = await inProject(
          project,
          `${runtime.name} ${script}`,
          runtime.binary,
          [...runtime.args, script, tags],
          { env },
        );
        info(`${runtime.name} ${runtime.version}: ${result.stdout.trim()}`);
        expected += 1;
      }
    }

    const connections = emu.stderr.match(/^connected\s+#\d+ filter/gm) ?? [];
    check(
      connections.length === expected,
      `The emulator saw ${connections.length} stream connections, expected ${expected} (CLI, core, rx, and core and rx on Bun and Deno).`,
      emu.output(),
    );
    assertNoToken('birdstream-emulator', emu.stdout, emu.stderr);
    failed = false;
  } finally {
    // After a failure the emulator is killed by cleanup(); its own error would hide the first one.
    if (!failed) await stopEmulatorBin(emu);
  }
  info('birdstream-emulator stopped on SIGTERM with exit 0');
}

// -------------------------------------------------------------------- main --

let tempDir;

function cleanup() {
  for (const child of live) killGroup(child, 'SIGKILL');
  live.clear();
  if (!tempDir || !existsSync(tempDir)) return;
  if (process.env.BIRDSTREAM_SMOKE_KEEP === '1') {
    console.log(`\n(kept ${tempDir} because BIRDSTREAM_SMOKE_KEEP=1)`);
    return;
  }
  rmSync(tempDir, { recursive: true, force: true });
}

for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
]) {
  process.once(signal, () => {
    console.error(`\ncheck:packed: interrupted by ${signal}, cleaning up`);
    cleanup();
    process.exit(code);
  });
}
process.once('exit', cleanup);

async function main() {
  console.log(
    'check:packed: pack the public packages, install the tarballs outside the repository, use them',
  );
  const packages = publishablePackages();
  await step('Preflight', async () => preflight(packages));

  tempDir = realpathSync(mkdtempSync(join(tmpdir(), 'birdstream-packed-')));
  check(
    relative(ROOT, tempDir).startsWith('..'),
    `The temp dir ${tempDir} is inside the repository; set TMPDIR elsewhere.`,
  );
  const project = join(tempDir, 'project');
  let tarballs;
  let manifests;

  await step(
    'Pack with pnpm pack (workspace: ranges rewritten, as pnpm publish does)',
    async () => {
      tarballs = await pack(packages, join(tempDir, 'tarballs'));
    },
  );
  await step('Inspect the tarballs', async () => {
    manifests = await inspect(packages, tarballs);
  });
  await step(`Install the tarballs with npm into ${project}`, async () => {
    await install(packages, tarballs, project);
  });

  const entries = entryPoints(manifests);
  const entriesArg = JSON.stringify(entries);
  await step('Import every entry point from ESM', async () => {
    writeFileSync(join(project, 'entries.mjs'), ESM_ENTRIES);
    const { stdout } = await inProject(project, 'entries.mjs', process.execPath, [
      'entries.mjs',
      entriesArg,
    ]);
    for (const line of stdout.trim().split('\n')) info(line);
    for (const { pkg } of packages) {
      for (const name of Object.keys(pkg.bin ?? {})) {
        const { stdout: help } = await inProject(
          project,
          `${name} --help`,
          join(project, 'node_modules', '.bin', name),
          ['--help'],
        );
        check(help.startsWith(`Usage: ${name}`), `${name} --help did not print its usage.`, help);
        info(`${name} --help (node_modules/.bin/${name}): usage printed, exit 0`);
      }
    }
  });
  await step('require() every entry point from CommonJS (require(esm))', async () => {
    writeFileSync(join(project, 'entries.cjs'), CJS_ENTRIES);
    const { stdout } = await inProject(project, 'entries.cjs', process.execPath, [
      'entries.cjs',
      entriesArg,
    ]);
    for (const line of stdout.trim().split('\n')) info(line);
  });
  await step(
    'Type-check a strict TypeScript consumer (nodenext, skipLibCheck: false)',
    async () => {
      writeFileSync(join(project, 'consumer.mts'), TS_CONSUMER);
      writeFileSync(join(project, 'tsconfig.json'), `${JSON.stringify(TS_CONFIG, null, 2)}\n`);
      let tsc;
      try {
        tsc = join(
          createRequire(join(ROOT, 'package.json')).resolve('typescript/package.json'),
          '..',
          'bin',
          'tsc',
        );
      } catch {
        fail('typescript is not installed in the repository: run `pnpm install` first.');
      }
      await inProject(project, 'tsc', process.execPath, [tsc, '-p', 'tsconfig.json'], {
        timeoutMs: 120_000,
      });
      info('consumer.mts compiles against the installed .d.ts files');
    },
  );
  await step(
    '@birdstream/testing in-process: startEmulator with StreamClient, msw handlers',
    async () => {
      writeFileSync(join(project, 'in-process.mjs'), IN_PROCESS);
      const { stdout } = await inProject(
        project,
        'in-process.mjs',
        process.execPath,
        ['in-process.mjs'],
        { env: { SMOKE_TOKEN: TOKEN } },
      );
      for (const line of stdout.trim().split('\n')) info(line);
    },
  );
  await step(
    'birdstream-emulator bin; birdstream bin, StreamClient and fromFilteredStream over X_BEARER_TOKEN / BIRDSTREAM_BASE_URL',
    async () => {
      await endToEnd(project, manifests.get('@birdstream/cli')?.version);
    },
  );
  await step(
    'The README install: npm install -g the CLI tarball alone (its dependencies bundled)',
    async () => {
      await installCliAlone(join(tempDir, 'global'), manifests.get('@birdstream/cli')?.version);
    },
  );
}

try {
  await main();
  cleanup();
  console.log(
    `\n✓ check:packed passed in ${seconds(Date.now() - started)}: the packed packages install and work outside the repository.`,
  );
} catch (error) {
  cleanup();
  console.error(`\n✗ check:packed failed at "${currentStep}":`);
  if (error instanceof SmokeError) {
    console.error(`  ${error.message}`);
    if (error.details)
      console.error(
        error.details
          .replaceAll(TOKEN, '<token>')
          .split('\n')
          .map((l) => `    ${l}`)
          .join('\n'),
      );
  } else console.error(error);
  process.exitCode = 1;
}
