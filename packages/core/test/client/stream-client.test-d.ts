import {
  type ConnectionMessage,
  type EndpointStream,
  StreamClient,
  type StreamConnection,
  type StreamResponse,
} from '@birdstream/core';
import { describe, expectTypeOf, test } from 'vitest';

const client = new StreamClient({ bearerToken: 't' });

describe('StreamClient types', () => {
  test('filter() narrows the response by the literal params', () => {
    const stream = client.filter({ 'tweet.fields': ['created_at'], expansions: ['author_id'] });
    type R = typeof stream extends EndpointStream<infer T> ? T : never;
    expectTypeOf<R['data']['created_at']>().toEqualTypeOf<string>();
    expectTypeOf<R['data']['id']>().toEqualTypeOf<string>();
    expectTypeOf<R['matching_rules']>().toBeArray();
    expectTypeOf<R['includes']['users']>().toBeArray();
  });

  test('sample() has no matching_rules; sample10() and firehose() need a partition', () => {
    const sample = client.sample({ 'tweet.fields': ['lang'] });
    type S = typeof sample extends EndpointStream<infer T> ? T : never;
    expectTypeOf<S['data']['lang']>().toEqualTypeOf<string>();
    expectTypeOf<S>().not.toHaveProperty('matching_rules');
    // @ts-expect-error partition is required
    client.sample10({});
    // @ts-expect-error partition is 1..20
    client.firehose({ partition: 21 });
    client.firehose({ partition: 20 });
  });

  test('unknown field values are type errors', () => {
    // @ts-expect-error not a tweet field
    client.filter({ 'tweet.fields': ['created'] });
  });

  test('stream.on() is typed per event', () => {
    const stream = client.filter();
    stream.on('reconnecting', (e) => {
      expectTypeOf(e.delayMs).toEqualTypeOf<number>();
      expectTypeOf(e.failure).toEqualTypeOf<
        'network' | 'http' | 'rate-limit' | 'too-many-connections'
      >();
    });
    expectTypeOf(stream.on('closed', () => {})).toEqualTypeOf<() => void>();
  });

  test('connect() resolves a StreamConnection of the requested type', () => {
    expectTypeOf(client.connect('sample', {})).resolves.toEqualTypeOf<
      StreamConnection<StreamResponse>
    >();
    type M = ConnectionMessage<{ id: string }>;
    expectTypeOf<Extract<M, { type: 'response' }>['response']>().toEqualTypeOf<{ id: string }>();
  });
});
