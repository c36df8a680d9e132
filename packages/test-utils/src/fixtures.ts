import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** Absolute path of a fixture, relative to `packages/test-utils/fixtures/`. */
export function fixturePath(relative: string): string {
  return root + relative;
}

/** A fixture's exact bytes as text. */
export function readFixtureText(relative: string): string {
  return readFileSync(fixturePath(relative), 'utf8');
}

/** A fixture parsed as JSON (beware: 19-digit numeric ids lose precision here). */
export function readFixtureJson<T = unknown>(relative: string): T {
  return JSON.parse(readFixtureText(relative)) as T;
}
