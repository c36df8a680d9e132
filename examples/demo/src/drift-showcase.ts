import { type SchemaDriftStat, StreamClient } from '@birdstream/core';
import { startEmulator } from '@birdstream/testing';

/** What the showcase read. */
export interface DriftShowcaseResult {
  likes: number;
  drift: SchemaDriftStat[];
  unrecognized: number;
}

/**
 * A drifted stream delivering: the likes firehose as X's own emulator serves
 * it (`timestamp_ms` as a numeric string, bare `\n` framing), then the users
 * compliance stream's counters, read by the default client (`validate:
 * 'tolerant'`). Prints one line each.
 */
export async function driftShowcase(
  print: (line: string) => void,
  seed: number | string,
  count = 10,
): Promise<DriftShowcaseResult> {
  const emu = await startEmulator({ seed, rate: 200, timeScale: 10, drift: 'playground' });
  try {
    const client = new StreamClient({ bearerToken: 'demo', baseUrl: emu.url, clock: emu.clock });
    const likes = client.likesFirehose({
      partition: 1,
      'like_with_tweet_author.fields': ['created_at', 'timestamp_ms'],
    });
    let read = 0;
    let typed = 0;
    for await (const like of likes) {
      if (typeof like.data.timestamp_ms === 'number') typed++;
      if (++read >= count) break;
    }
    const drift = likes.stats.drift ?? [];
    const summary = drift.map((d) => `${d.path} ${d.kind} ×${d.count}`).join(', ') || 'none';
    print(
      `drifted stream (X's playground shapes): likes firehose delivered ${read}/${count}, timestamp_ms a number in ${typed}; drift reported: ${summary}.`,
    );
    const users = client.usersCompliance({ partition: 1 });
    let unrecognized = 0;
    await new Promise<void>((resolve) => {
      users.on('unrecognized', () => {
        if (++unrecognized >= 3) resolve();
      });
      void (async () => {
        for await (const _ of users) {
          // counters carry no event: nothing is delivered, each comes as `unrecognized`
        }
      })();
    });
    await users.close();
    print(
      `users compliance sends counters, not events: ${unrecognized} messages reached the 'unrecognized' event, none dropped silently.`,
    );
    return { likes: read, drift, unrecognized };
  } finally {
    await emu.close();
  }
}
