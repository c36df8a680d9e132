// An ingest worker for the end-to-end tests that need emulated time: an `Ingestor` (from
// packages/redis/dist) whose clock runs `scale` times faster than real time from a shared
// anchor, as the emulator's does, so post times, backfill and recovery all agree. Prints
// each event as a JSON line on stdout; SIGTERM closes it and prints `{ type: 'stats', … }`.
// Argument: one JSON object (see the end-to-end test that starts it).
import { StreamClient } from '@birdstream/core';
import { Ingestor } from '@birdstream/redis';
import { Redis } from 'ioredis';

const config = JSON.parse(process.argv[2] ?? '{}');
const { emulatedAt, realAt, scale } = config.clock;
/** @type {import('@birdstream/core').Clock} */
const clock = {
  now: () => emulatedAt + (Date.now() - realAt) * scale,
  setTimeout: (callback, ms) => setTimeout(callback, Math.max(0, ms) / scale),
  clearTimeout: (handle) => clearTimeout(/** @type {NodeJS.Timeout} */ (handle)),
};
/** @param {unknown} object */
const print = (object) => process.stdout.write(`${JSON.stringify(object)}\n`);
const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
const leaseRedis = new Redis(config.leaseRedisUrl, { maxRetriesPerRequest: null });
redis.on('error', () => {});
leaseRedis.on('error', () => {});
const ingestor = new Ingestor({
  // The connect timeout runs on the emulated clock too: 10 emulated s would be 1 real s, which a
  // busy machine misses; it stays 10 real s.
  client: new StreamClient({
    bearerToken: 'e2e-token',
    baseUrl: config.baseUrl,
    clock,
    connectTimeoutMs: 10_000 * scale,
  }),
  endpoint: 'firehose',
  partitions: config.partitions,
  redis,
  leaseRedis,
  owner: config.owner,
  params: { 'tweet.fields': ['created_at'] },
  clock,
  ...config.ingestor,
});
for (const type of /** @type {const} */ ([
  'claimed',
  'takeover-backfill',
  'unrecoverable',
  'stopped',
  'progress',
  'falling-behind',
  'caught-up',
  'error',
])) {
  ingestor.on(type, (event) =>
    print({ ...event, ...('error' in event ? { error: event.error.message } : {}) }),
  );
}
ingestor.on('stream', ({ partition, event }) => {
  if (event.type === 'recovery')
    print({
      type: 'recovery',
      partition,
      phase: event.phase,
      startTime: event.startTime,
      endTime: event.endTime,
      ...(event.error ? { error: event.error.message } : {}),
    });
});
process.once('SIGTERM', async () => {
  await ingestor.close();
  print({ type: 'stats', stats: ingestor.stats() });
  redis.disconnect();
  leaseRedis.disconnect();
  process.exit(0);
});
await ingestor.start();
print({ type: 'started', owner: ingestor.owner });
