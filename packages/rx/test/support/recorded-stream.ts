import { type FilteredStreamResponseFor, StreamClient } from '@birdstream/core';
import { bodyFromChunks, readFixtureText } from '@birdstream/test-utils';
import { HttpResponse, http } from 'msw';
import type { SetupServer } from 'msw/node';
import { fromFilteredStream } from '../../src/index.js';
import { finished, record } from './recorder.js';

/** The parameters twarc used for the recorded capture (from its `__twarc.url`). */
export const TWARC_PARAMS = {
  expansions: [
    'author_id',
    'in_reply_to_user_id',
    'referenced_tweets.id',
    'referenced_tweets.id.author_id',
    'entities.mentions.username',
    'attachments.poll_ids',
    'attachments.media_keys',
    'geo.place_id',
  ],
  'user.fields': ['created_at', 'description', 'id', 'location', 'name', 'username', 'verified'],
  'tweet.fields': ['author_id', 'created_at', 'geo', 'in_reply_to_user_id', 'referenced_tweets'],
  'media.fields': ['height', 'media_key', 'type', 'url', 'width'],
  'place.fields': ['country', 'country_code', 'full_name', 'geo', 'id', 'name', 'place_type'],
} as const;

export type RecordedResponse = FilteredStreamResponseFor<typeof TWARC_PARAMS>;

/**
 * Every post of the recorded filtered-stream capture
 * (`stream/twarc-csv/streaming_output.jsonl`, operational disconnect left
 * out), decoded by core exactly as from the wire: served over msw and read
 * through `fromFilteredStream` (so 19-digit rule ids stay exact).
 */
export async function recordedResponses(server: SetupServer): Promise<RecordedResponse[]> {
  const lines = readFixtureText('stream/twarc-csv/streaming_output.jsonl')
    .split('\n')
    .filter((text) => text.trim() !== '' && !text.includes('operational-disconnect'))
    .map((text) => `${text.trim()}\r\n`);
  server.use(
    http.get(
      'https://api.x.com/2/tweets/search/stream',
      () => new HttpResponse(bodyFromChunks(lines)),
    ),
  );
  const client = new StreamClient({ bearerToken: 'test-token' });
  const r = record(fromFilteredStream(client, TWARC_PARAMS));
  await r.until(finished, 'the recorded capture to be read');
  return r.values.flatMap((event) => (event.type === 'response' ? [event.response] : []));
}
