import { readFileSync } from 'node:fs';
import { fixturePath, readFixtureText } from '@birdstream/test-utils';
import type { StreamEndpointName } from '../../src/endpoints/endpoint-table.js';

/** One recorded body of X's playground emulator, and the stream it came from. */
export interface PlaygroundRecording {
  /** The file name without `.body` / `.headers`. */
  file: string;
  endpoint: StreamEndpointName;
  /** The query the recording was made with. */
  params: Record<string, unknown>;
}

/** Every recording in `fixtures/x-playground/`, with its stream. */
export const PLAYGROUND_RECORDINGS: readonly PlaygroundRecording[] = [
  { file: 'sample', endpoint: 'sample', params: {} },
  { file: 'firehose-p1', endpoint: 'firehose', params: { partition: 1 } },
  { file: 'firehose-lang-en-p1', endpoint: 'firehose-en', params: { partition: 1 } },
  { file: 'tweets-compliance-p1', endpoint: 'tweets-compliance', params: { partition: 1 } },
  { file: 'likes-firehose-p1', endpoint: 'likes-firehose', params: { partition: 1 } },
  { file: 'likes-compliance', endpoint: 'likes-compliance', params: {} },
  { file: 'users-compliance-p1', endpoint: 'users-compliance', params: { partition: 1 } },
  { file: 'labels', endpoint: 'labels', params: {} },
  { file: 'activity', endpoint: 'activity', params: {} },
];

/** The recorded body, byte for byte. */
export function playgroundBody(file: string): Uint8Array {
  return new Uint8Array(readFileSync(fixturePath(`x-playground/${file}.body`)));
}

/** The recorded response headers (without the status line and the transfer encoding). */
export function playgroundHeaders(file: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of readFixtureText(`x-playground/${file}.headers`).split(/\r?\n/).slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (name === 'transfer-encoding') continue;
    headers[name] = line.slice(colon + 1).trim();
  }
  return headers;
}

/**
 * The messages of a recorded body, read independently of birdstream's
 * decoder: JSON lines, or the `data:` lines of SSE events.
 */
export function playgroundMessages(file: string): Record<string, unknown>[] {
  const text = readFixtureText(`x-playground/${file}.body`);
  return text
    .split('\n')
    .map((line) => (line.startsWith('data: ') ? line.slice(6) : line))
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
