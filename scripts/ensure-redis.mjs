#!/usr/bin/env node
// Makes sure `redis-server` (Debian's package, Redis 7.x) is on PATH for the
// @birdstream/redis tests. Installs it with apt-get when running as root on a
// machine that has apt-get (CI, a fresh container); otherwise exits 1 at once
// with one line naming what to install. Usage: node scripts/ensure-redis.mjs
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The absolute path of `name` on PATH, or undefined. */
export function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const full = join(dir, name);
    try {
      accessSync(full, constants.X_OK);
      return full;
    } catch {}
  }
  return undefined;
}

const INSTALL_HINT =
  'redis-server is missing: install Redis 7 (Debian/Ubuntu: sudo apt-get install -y redis-server; macOS: brew install redis) so it is on PATH.';

/**
 * Returns the path of redis-server, installing it with apt-get when possible.
 * Throws an Error whose message is one line saying what to install.
 */
export function ensureRedis({ log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  const found = onPath('redis-server');
  if (found) return found;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !onPath('apt-get')) throw new Error(INSTALL_HINT);
  log('redis-server not found: installing it with apt-get (Debian package redis-server)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'redis-server']]) {
    const result = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env });
    if (result.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed. ${INSTALL_HINT}`);
  }
  const installed = onPath('redis-server');
  if (!installed) throw new Error(INSTALL_HINT);
  return installed;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const path = ensureRedis();
    process.stdout.write(`${path}\n`);
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
