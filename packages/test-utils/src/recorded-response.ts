import { HttpResponse } from 'msw';
import { readFixtureJson, readFixtureText } from './fixtures.js';

interface IndexEntry {
  file: string;
  http_status?: number | null;
  response_headers?: Record<string, string>;
}

let index: IndexEntry[] | undefined;

function entryFor(file: string): IndexEntry {
  index ??= readFixtureJson<IndexEntry[]>('index.json');
  const entry = index.find((e) => e.file === file);
  if (!entry) throw new Error(`No fixture ${file} in index.json`);
  return entry;
}

/**
 * A recorded response: the fixture's exact bytes with the HTTP status and
 * headers it was recorded with (from `fixtures/index.json`). Fixtures with
 * no recorded status (bodies pasted into issues) need `fallbackStatus`.
 * The recorded `content-encoding: gzip` and `content-length` are dropped
 * because the stored body is the decoded one; without a recorded
 * `content-type` the response is `application/json`. Each call makes a fresh response (a body is
 * read once), whose headers a test may still change.
 *
 * @example
 * ```ts
 * server.use(http.get(FILTER, () => recordedResponse('errors/rules_get_401_unauthorized.json')));
 * ```
 */
export function recordedResponse(file: string, fallbackStatus?: number): HttpResponse<string> {
  const entry = entryFor(file);
  const status = entry.http_status ?? fallbackStatus;
  if (status === undefined) throw new Error(`${file} has no recorded status; pass one`);
  const headers = new Headers(entry.response_headers ?? {});
  headers.delete('content-encoding');
  headers.delete('content-length');
  if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  return new HttpResponse(readFixtureText(file), { status, headers });
}
