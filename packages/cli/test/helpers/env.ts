import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import type { BinResult } from './bin.js';

/** A bearer token shaped like X's (percent-encoded characters included). */
export const TOKEN = 'AAAAAAAAAAAAAAAAAAAAAtest%2Fcli%3Dtoken0123456789';

const created = new Set<string>();
// Every directory made by tempDir() in a test file is removed when that file's tests end.
afterAll(() => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
  created.clear();
});

/** A temporary directory for rules and output files (removed after the test file). */
export function tempDir(): {
  dir: string;
  write(name: string, text: string): string;
  remove(): void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'birdstream-cli-'));
  created.add(dir);
  return {
    dir,
    write(name, text) {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The token appears nowhere in what the process printed, in any form. */
export function expectNoToken(result: Pick<BinResult, 'stdout' | 'stderr'>): void {
  for (const form of [TOKEN, decodeURIComponent(TOKEN), 'test%2Fcli', 'test/cli=token']) {
    expect(result.stdout).not.toContain(form);
    expect(result.stderr).not.toContain(form);
  }
}

/** An error printed the way the CLI promises: one line, no stack trace. */
export function expectOneLineError(stderr: string, pattern: RegExp): void {
  const lines = stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^birdstream: /);
  expect(lines[0]).toMatch(pattern);
  expect(stderr).not.toMatch(/\n\s+at /);
}

/** The 1-based line and column where `needle` starts in `text`. */
export function positionOf(text: string, needle: string): { line: number; col: number } {
  const at = text.indexOf(needle);
  if (at === -1) throw new Error(`${needle} is not in the text`);
  const before = text.slice(0, at);
  return { line: before.split('\n').length, col: at - before.lastIndexOf('\n') };
}
