import { readFixtureJson, readFixtureText } from '@birdstream/test-utils';
import { HttpResponse } from 'msw';

interface IndexEntry {
  file: string;
  http_status?: number | null;
  response_headers?: Record<string, string>;
}

const index = readFixtureJson<IndexEntry[]>('index.json');

/**
 * A recorded response: the fixture's exact bytes with the HTTP status and
 * headers it was recorded with (from `fixtures/index.json`). The recorded
 * `content-encoding: gzip` is dropped because the stored body is decoded.
 */
export function recorded(file: string, fallbackStatus?: number): HttpResponse<string> {
  const entry = index.find((e) => e.file === file);
  if (!entry) throw new Error(`No fixture ${file} in index.json`);
  const status = entry.http_status ?? fallbackStatus;
  if (status === undefined) throw new Error(`${file} has no recorded status; pass one`);
  const headers = new Headers(entry.response_headers ?? { 'content-type': 'application/json' });
  headers.delete('content-encoding');
  headers.delete('content-length');
  return new HttpResponse(readFixtureText(file), { status, headers });
}

/** The recorded status and headers of a fixture. */
export function recordedMeta(file: string): {
  status: number | null | undefined;
  headers: Record<string, string>;
} {
  const entry = index.find((e) => e.file === file);
  if (!entry) throw new Error(`No fixture ${file} in index.json`);
  return { status: entry.http_status, headers: entry.response_headers ?? {} };
}
