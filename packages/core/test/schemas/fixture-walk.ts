import { readdirSync } from 'node:fs';
import { fixturePath, readFixtureJson, readFixtureText } from '@birdstream/test-utils';
import { parseJsonLossless } from '../../src/decode/index.js';

/** Every fixture file under `dir` (relative to the fixtures root), sorted. */
export function fixtureFiles(dir: string): string[] {
  return readdirSync(fixturePath(dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) =>
      `${entry.parentPath.slice(fixturePath('').length)}/${entry.name}`.replace(/^\/+/, ''),
    )
    .sort();
}

/** The top-level folders of the fixtures. */
export function fixtureFolders(): string[] {
  return readdirSync(fixturePath(''), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/** A fixture's JSON documents: one for `.json`, one per line for `.jsonl` (ids kept exact). */
export function fixtureDocuments(file: string): unknown[] {
  const text = readFixtureText(file);
  if (file.endsWith('.jsonl')) {
    return text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => parseJsonLossless(line));
  }
  return [parseJsonLossless(text)];
}

interface IndexEntry {
  file: string;
  request?: { method: string; url: string };
}

/** The recorded request (method and URL) of each fixture, from `index.json`. */
export function recordedRequests(): Map<string, { method: string; url: string }> {
  const requests = new Map<string, { method: string; url: string }>();
  for (const entry of readFixtureJson<IndexEntry[]>('index.json')) {
    if (entry.request) requests.set(entry.file, entry.request);
  }
  return requests;
}

/** What a response's `data` holds, from the endpoint it came from. */
export type DataKind = 'tweets' | 'users' | 'counts' | 'spaces' | 'action-result';

/**
 * Classifies a v2 endpoint: user lookups and user lists (`/2/users/…`,
 * `liking_users`, `retweeted_by`, `followers`, `following`, `members`) give
 * users; counts and Spaces are other objects; POST/DELETE on bookmarks and
 * DELETE of a post give `{bookmarked}` / `{deleted}`; the rest give posts.
 */
export function dataKind(method: string, url: string): DataKind {
  const path = new URL(url.replace(/:(\w+)/g, '_$1')).pathname;
  if (path.startsWith('/2/tweets/counts')) return 'counts';
  if (path.startsWith('/2/spaces')) return 'spaces';
  if (method === 'DELETE' || (method === 'POST' && path.endsWith('/bookmarks'))) {
    return 'action-result';
  }
  if (/\/(liking_users|retweeted_by|followers|following|members)$/.test(path)) return 'users';
  if (/^\/2\/users(\/by(\/username\/[^/]+)?|\/me|\/[^/]+)?$/.test(path)) return 'users';
  return 'tweets';
}
