// `pnpm pack:release [dir]`: packs the publishable packages (not the private
// ones such as @birdstream/test-utils) exactly as `pnpm publish` would, into
// `release/` (or `dir`), so they can be installed from outside the repository
// before they are on npm. pnpm rewrites each `workspace:^` range into
// `^<version>`, so a tarball installs with its sibling tarballs given in the
// same `npm install` (see "Install from a release tarball" in README.md).
//
// Needs a build first (`pnpm pack:release` runs `pnpm build`). Plain Node, no
// dependencies. `scripts/smoke-packed.mjs` packs through `packRelease` too and
// installs the CLI from its release tarballs alone.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url)).replace(/[\\/]$/, '');

/** The packages under packages/ that are published: `{ dir, pkg }`, sorted by folder. */
export function publishablePackages() {
  const out = [];
  for (const dir of readdirSync(join(ROOT, 'packages')).sort()) {
    const path = join(ROOT, 'packages', dir, 'package.json');
    if (!existsSync(path)) continue;
    const pkg = JSON.parse(readFileSync(path, 'utf8'));
    if (!pkg.private) out.push({ dir: join(ROOT, 'packages', dir), pkg });
  }
  return out;
}

/**
 * Packs `packages` (default: every publishable one) into `dest` with
 * `pnpm pack`, and returns a Map from package name to tarball path. Throws
 * when pnpm fails, a tarball is missing, or a packed manifest still holds a
 * `workspace:` range.
 */
export function packRelease(dest, packages = publishablePackages()) {
  mkdirSync(dest, { recursive: true });
  const rootPkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const filters = packages.flatMap(({ pkg }) => ['--filter', pkg.name]);
  const result = spawnSync(
    'npx',
    [
      '-y',
      rootPkg.packageManager ?? 'pnpm@10.34.8',
      '-r',
      ...filters,
      'pack',
      '--pack-destination',
      dest,
      '--json',
    ],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, npm_config_yes: 'true' },
      timeout: 120_000,
    },
  );
  if (result.status !== 0) {
    throw new Error(`pnpm pack failed (${result.status ?? result.signal}):\n${result.stderr}`);
  }
  const reported = JSON.parse(result.stdout);
  const tarballs = new Map();
  for (const entry of Array.isArray(reported) ? reported : [reported]) {
    tarballs.set(entry.name, entry.filename);
  }
  for (const { pkg } of packages) {
    const file = tarballs.get(pkg.name);
    if (!file || !existsSync(file))
      throw new Error(`pnpm pack produced no tarball for ${pkg.name}.`);
    const manifest = spawnSync('tar', ['-xzOf', file, 'package/package.json'], {
      encoding: 'utf8',
    });
    const packed = JSON.parse(manifest.stdout);
    for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
      for (const [name, range] of Object.entries(packed[field] ?? {})) {
        if (/^(workspace|catalog|link|file):/.test(String(range))) {
          throw new Error(`${basename(file)}: ${field}.${name} is still "${range}".`);
        }
      }
    }
  }
  return tarballs;
}

/** Runs a command for the packing; throws with its stderr when it fails. */
function runOrThrow(command, args, cwd) {
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, npm_config_yes: 'true' },
    timeout: 300_000,
  });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed (${result.status ?? result.signal}):\n${result.stderr}`,
    );
  }
  return result.stdout;
}

/**
 * The CLI as one package, for `npm install -g`: the CLI's tarball with its
 * dependencies (the @birdstream packages from their tarballs, the others from
 * the registry) installed inside it and listed in `bundleDependencies`, so
 * installing that one tarball installs the `birdstream` command alone, with no
 * @birdstream library as a global package beside it. Written beside the CLI's
 * tarball as `birdstream-cli-<version>-standalone.tgz` (the plain tarball stays,
 * for projects that install the CLI with the libraries); returns its path.
 */
export function bundleCli(tarballs, packages = publishablePackages()) {
  const cli = tarballs.get('@birdstream/cli');
  if (!cli) throw new Error('No @birdstream/cli tarball to bundle.');
  const staging = mkdtempSync(join(tmpdir(), 'birdstream-cli-bundle-'));
  try {
    runOrThrow('tar', ['-xzf', cli, '-C', staging], staging);
    const dir = join(staging, 'package');
    const manifestPath = join(dir, 'package.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    const internal = tarballsFor('@birdstream/cli', tarballs, packages).filter((f) => f !== cli);
    // A user's install never sees devDependencies; npm would still resolve them (private ones too).
    delete manifest.devDependencies;
    writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
    runOrThrow(
      'npm',
      [
        'install',
        '--omit=dev',
        '--omit=peer',
        '--no-save',
        '--no-package-lock',
        '--ignore-scripts',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        ...internal,
      ],
      dir,
    );
    manifest.bundleDependencies = Object.keys(manifest.dependencies ?? {});
    writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
    const packed = JSON.parse(
      runOrThrow('npm', ['pack', '--json', '--pack-destination', staging], dir),
    );
    const file = cli.replace(/\.tgz$/, '-standalone.tgz');
    renameSync(join(staging, packed[0].filename), file);
    return file;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** The tarballs a package needs from `tarballs`: its own and its @birdstream dependencies', recursively. */
export function tarballsFor(name, tarballs, packages = publishablePackages()) {
  const byName = new Map(packages.map(({ pkg }) => [pkg.name, pkg]));
  const needed = new Set();
  const visit = (current) => {
    if (needed.has(current) || !byName.has(current)) return;
    needed.add(current);
    for (const dep of Object.keys(byName.get(current).dependencies ?? {})) visit(dep);
  };
  visit(name);
  return [...needed].map((n) => tarballs.get(n)).filter(Boolean);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const dest = resolve(process.cwd(), process.argv[2] ?? join(ROOT, 'release'));
  rmSync(dest, { recursive: true, force: true });
  const packages = publishablePackages();
  for (const { dir, pkg } of packages) {
    if (!existsSync(join(dir, 'dist'))) {
      console.error(`${pkg.name} has no dist/: run \`pnpm build\` first.`);
      process.exit(1);
    }
  }
  try {
    const tarballs = packRelease(dest, packages);
    const cli = bundleCli(tarballs, packages);
    console.log(`Packed ${tarballs.size} publishable packages into ${dest}:`);
    for (const file of tarballs.values()) console.log(`  ${basename(file)}`);
    console.log(`  ${basename(cli)} (the CLI with its dependencies inside)`);
    console.log('\nInstall the birdstream command (one tarball) from anywhere:');
    console.log(`  npm install -g ${join(dest, basename(cli))}`);
  } catch (error) {
    console.error(`pack:release failed: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  }
}
