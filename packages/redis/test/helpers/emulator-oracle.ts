import { rfc3339Seconds } from '@birdstream/core';
import type { Redis } from 'ioredis';

/** One entry of the ingest stream: identity, partition and the post's creation time. */
export interface StoredPost {
  id: string;
  partition: number;
  createdAt: number;
}

/** Every entry of `key` with its partition and `created_at`. */
export async function storedPosts(redis: Redis, key: string): Promise<StoredPost[]> {
  const entries = await redis.xrange(key, '-', '+');
  return entries.map(([, fields]) => {
    const get = (name: string) => fields[fields.indexOf(name) + 1] ?? '';
    const data = JSON.parse(get('data')) as { data: { created_at: string } };
    return {
      id: get('id'),
      partition: Number(get('p')),
      createdAt: Date.parse(data.data.created_at),
    };
  });
}

/**
 * The oracle: the ids of every post the emulator's firehose has on `partition`
 * created in [`from`, `to`] (emulated epoch ms), asked with a recovery request
 * (`start_time`/`end_time`) after the run, whatever any worker received. The
 * emulator's traffic is a fixed timeline, so this is what X would replay.
 */
export async function postsCreated(
  baseUrl: string,
  partition: number,
  from: number,
  to: number,
): Promise<string[]> {
  const url = new URL('/2/tweets/firehose/stream', baseUrl);
  url.searchParams.set('partition', String(partition));
  url.searchParams.set('tweet.fields', 'created_at');
  url.searchParams.set('start_time', rfc3339Seconds(Math.floor(from / 1000) * 1000));
  url.searchParams.set('end_time', rfc3339Seconds(Math.ceil((to + 1) / 1000) * 1000));
  const response = await fetch(url, { headers: { authorization: 'Bearer e2e-token' } });
  if (response.status !== 200) {
    throw new Error(
      `The oracle's recovery request got ${response.status}: ${await response.text()}`,
    );
  }
  // A recovery ends its body once the window is replayed.
  const text = await response.text();
  return text
    .split('\r\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { data: { id: string; created_at: string } })
    .filter((post) => {
      const at = Date.parse(post.data.created_at);
      return at >= from && at <= to;
    })
    .map((post) => post.data.id);
}
