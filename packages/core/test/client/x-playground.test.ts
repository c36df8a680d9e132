import {
  complianceEvent,
  driftOf,
  type EndpointStream,
  type LikeStreamResponse,
  type SchemaDriftStat,
  STREAM_ENDPOINT_TABLE,
  StreamClient,
  type UnrecognizedEvent,
} from '@birdstream/core';
import { arbitraryCuts, ManualClock, splitAt } from '@birdstream/test-utils';
import fc from 'fast-check';
import { HttpResponse, http } from 'msw';
import { describe, expect, expectTypeOf, test } from 'vitest';
import { ofType } from '../helpers/events.js';
import { run } from '../helpers/stream-runner.js';
import { useStreamServer } from '../helpers/stream-server.js';
import { until } from '../helpers/until.js';
import {
  PLAYGROUND_RECORDINGS,
  type PlaygroundRecording,
  playgroundBody,
  playgroundHeaders,
  playgroundMessages,
} from '../helpers/x-playground.js';

const server = useStreamServer();
const BASE = 'https://api.x.com';

/** What the default client must make of each recording (counted from the recording itself below). */
const EXPECTED: Record<
  string,
  { unrecognized: UnrecognizedEvent['reason'] | undefined; drift: Partial<SchemaDriftStat>[] }
> = {
  sample: { unrecognized: undefined, drift: [] },
  'firehose-p1': { unrecognized: undefined, drift: [] },
  'firehose-lang-en-p1': { unrecognized: undefined, drift: [] },
  'tweets-compliance-p1': { unrecognized: undefined, drift: [] },
  // timestamp_ms as a numeric string: read as the number, reported once with its count.
  'likes-firehose-p1': {
    unrecognized: undefined,
    drift: [{ path: 'data.timestamp_ms', kind: 'coerced', samplePath: 'data.timestamp_ms' }],
  },
  // delete.like is declared beside delete.favorite: no drift.
  'likes-compliance': { unrecognized: undefined, drift: [] },
  // Counters instead of an event: no identity; each message reaches the user as unrecognized.
  'users-compliance-p1': { unrecognized: 'identity-missing', drift: [] },
  // No data, no errors: unrecognized, never skipped in silence.
  labels: { unrecognized: 'unknown-type', drift: [] },
  // An errors item without type/title: the event is delivered, the item set aside.
  activity: {
    unrecognized: undefined,
    drift: [{ path: 'errors[]', kind: 'set-aside', samplePath: 'errors.0' }],
  },
};

/** Replays `recording` once, cut at `cuts`, through the default client; closes after the body ended. */
async function replay(recording: PlaygroundRecording, cuts: number[]) {
  const chunks = splitAt(playgroundBody(recording.file), cuts);
  server.use(
    http.get(`${BASE}${STREAM_ENDPOINT_TABLE[recording.endpoint].path}`, () => {
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          for (const chunk of chunks) controller.enqueue(chunk);
          controller.close();
        },
      });
      return new HttpResponse(body, { headers: playgroundHeaders(recording.file) });
    }),
  );
  const clock = new ManualClock();
  const client = new StreamClient({ bearerToken: 'test-token-123', clock });
  const stream = client.stream(
    recording.endpoint,
    recording.params as never,
  ) as unknown as EndpointStream<Record<string, unknown>>;
  const consumer = run(stream);
  // The body ended (the server closed it): the stream schedules a reconnect on the manual clock.
  await until(
    () => ofType(consumer.events, 'disconnected').length > 0,
    `the end of the ${recording.file} body`,
  );
  await stream.close();
  await consumer.done;
  return { consumer, stats: stream.stats };
}

describe("X's playground recordings, replayed byte for byte under random chunking", () => {
  for (const recording of PLAYGROUND_RECORDINGS) {
    test(`${recording.file}: every message reaches the user, drift reported once per path`, async () => {
      const messages = playgroundMessages(recording.file);
      const expected = EXPECTED[recording.file]!;
      const withIdentity = expected.unrecognized === undefined ? messages.length : 0;
      await fc.assert(
        fc.asyncProperty(arbitraryCuts(playgroundBody(recording.file).length), async (cuts) => {
          const { consumer, stats } = await replay(recording, cuts);
          // Every message is accounted for: delivered typed, or unrecognized with the message as sent.
          const unrecognized = ofType(consumer.events, 'unrecognized');
          expect(consumer.posts.length + unrecognized.length).toBe(messages.length);
          expect(consumer.posts.length).toBe(withIdentity);
          expect(ofType(consumer.events, 'payload-invalid')).toEqual([]);
          for (const event of unrecognized) {
            expect(event.reason).toBe(expected.unrecognized);
            expect(event.issues.length).toBeGreaterThan(0);
          }
          expect(unrecognized.map((e) => e.message)).toEqual(
            expected.unrecognized === undefined ? [] : messages,
          );
          expect(stats.unrecognized).toBe(unrecognized.length);
          // Delivered in order, ids exact.
          expect(
            consumer.posts.map((p) => JSON.stringify((p.data as { id?: unknown }).id)),
          ).toEqual(
            messages
              .slice(0, consumer.posts.length)
              .map((m) => JSON.stringify((m.data as { id?: unknown }).id)),
          );
          // Drift: one event per path and kind, with the count of messages that had it.
          const drift = ofType(consumer.events, 'schema-drift').map((e) => e.drift);
          expect(drift).toHaveLength(expected.drift.length);
          for (const [i, want] of expected.drift.entries()) {
            expect(drift[i]).toMatchObject({ ...want, count: withIdentity });
          }
          expect(stats.drift ?? []).toEqual(drift);
        }),
        { numRuns: 4 },
      );
    });
  }
});

describe('the shapes X sends that differ from the spec', () => {
  test('likes: timestamp_ms sent as a string arrives as the number, typed as one', async () => {
    const recording = PLAYGROUND_RECORDINGS.find((r) => r.file === 'likes-firehose-p1')!;
    const { consumer } = await replay(recording, []);
    const sent = playgroundMessages('likes-firehose-p1').map(
      (m) => (m.data as { timestamp_ms: string }).timestamp_ms,
    );
    const likes = consumer.posts as unknown as LikeStreamResponse[];
    expectTypeOf(likes[0]!.data!.timestamp_ms).toEqualTypeOf<number | undefined>();
    expect(likes.map((like) => like.data?.timestamp_ms)).toEqual(sent.map(Number));
    for (const like of likes) expect(typeof like.data?.timestamp_ms).toBe('number');
    expect(driftOf(likes[0])).toEqual([
      {
        path: ['data', 'timestamp_ms'],
        kind: 'coerced',
        detail: 'a number sent as a string; read as the number',
      },
    ]);
  });

  test('likes compliance: delete.like is the unlike, keyed by the liked post', async () => {
    const recording = PLAYGROUND_RECORDINGS.find((r) => r.file === 'likes-compliance')!;
    const { consumer } = await replay(recording, []);
    const sent = playgroundMessages('likes-compliance');
    expect(consumer.posts).toHaveLength(sent.length);
    for (const [i, message] of consumer.posts.entries()) {
      const event = complianceEvent(message.data as never);
      const like = (sent[i]!.data as { delete: { like: { liked_tweet_id: string; id: string } } })
        .delete.like;
      expect(event?.kind).toBe('favorite_delete');
      expect(event?.objectId).toBe(like.liked_tweet_id);
      if (event?.kind === 'favorite_delete' && 'like' in event.event) {
        expect(event.event.like.id).toBe(like.id);
      } else throw new Error('expected the delete.like shape');
      expect(STREAM_ENDPOINT_TABLE['likes-compliance'].dedupeKey(message)).toBe(
        `favorite_delete:${like.liked_tweet_id}:${like.id}:${event.event.event_at}`,
      );
    }
  });
});
