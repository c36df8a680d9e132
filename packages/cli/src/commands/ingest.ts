import { StreamClient } from '@birdstream/core';
import type { Ingestor } from '@birdstream/redis';
import type { Redis } from 'ioredis';
import { flag, stringOption } from '../cli/args.js';
import { requireToken, resolveBaseUrl } from '../cli/env.js';
import { ExitCode } from '../cli/exit-codes.js';
import { CliError, UsageError } from '../cli/usage-error.js';
import { parseDuration } from '../cli/values.js';
import { describeIngestEvent, logTime, summaryLines } from '../ingest/ingest-log.js';
import {
  METRICS_PORT_OPTION,
  parseMetricsAddress,
  startMetricsEndpoint,
} from '../metrics/metrics-endpoint.js';
import type { Command } from './command.js';

const NAME = 'ingest';
const PARTITION_COUNTS = { firehose: 20, sample10: 2 } as const;
type Endpoint = keyof typeof PARTITION_COUNTS;
/** How long a clean shutdown may take (finishing writes, releasing leases) before giving up. */
const CLOSE_TIMEOUT_MS = 15_000;

/** `--partitions 1-20` or `1,3,5-7`: the sorted partition numbers, each within 1..max. */
export function parsePartitions(text: string, max: number): number[] {
  const out = new Set<number>();
  for (const part of text.split(',').map((p) => p.trim())) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(part);
    const from = Number(match?.[1]);
    const to = Number(match?.[2] ?? match?.[1]);
    if (!match || from < 1 || to > max || from > to) {
      throw new UsageError(
        `--partitions must be numbers or ranges from 1 to ${max}, such as 1-${max} or 1,3,5-7; got '${text}'.`,
        NAME,
      );
    }
    for (let p = from; p <= to; p++) out.add(p);
  }
  return [...out].sort((a, b) => a - b);
}

/** The Redis URL without its password, for messages. */
function safeRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return 'the --redis URL';
  }
}

function duration(values: Record<string, unknown>, name: string): number | undefined {
  const text = stringOption(values as never, name);
  return text === undefined ? undefined : parseDuration(text, `--${name}`, NAME);
}

/** `birdstream ingest`: one ingest worker writing its share of the partitions into Redis. */
export const ingestCommand: Command = {
  spec: {
    name: NAME,
    summary:
      'Ingest a partitioned stream (firehose, sample10) into a Redis Stream, exactly once; run one per machine.',
    positionals: [],
    options: {
      endpoint: {
        type: 'string',
        value: '<firehose|sample10>',
        description: 'the partitioned stream (default firehose)',
      },
      partitions: {
        type: 'string',
        value: '<1-20>',
        description: 'the partitions shared by all workers, e.g. 1-20 or 1,3,5-7 (default all)',
      },
      redis: {
        type: 'string',
        value: '<url>',
        description: 'Redis URL (default env REDIS_URL, else redis://127.0.0.1:6379)',
      },
      stream: {
        type: 'string',
        value: '<key>',
        description: 'the Redis stream key (default birdstream:<endpoint>)',
      },
      'tweet-fields': {
        type: 'string',
        value: '<a,b>',
        description: 'tweet.fields, e.g. created_at,lang (created_at gives the lag)',
      },
      expansions: { type: 'string', value: '<a,b>', description: 'expansions, e.g. author_id' },
      owner: {
        type: 'string',
        value: '<name>',
        description: "this worker's name in leases (default host:pid:random)",
      },
      'lease-ttl': {
        type: 'string',
        value: '<time>',
        description: 'lease lifetime; must exceed stall timeout + renew interval (default 45s)',
      },
      'renew-interval': {
        type: 'string',
        value: '<time>',
        description: 'how often leases are renewed (default 5s)',
      },
      'stall-timeout': {
        type: 'string',
        value: '<time>',
        description: 'reconnect after this long without data or keep-alive (default 30s)',
      },
      'dedupe-ttl': {
        type: 'string',
        value: '<time>',
        description: 'how long a post id is remembered (default 25h; at least your replay window)',
      },
      'max-lag': {
        type: 'string',
        value: '<time>',
        description:
          'lag above which a partition is reported falling behind (default: the lease TTL)',
      },
      'progress-interval': {
        type: 'string',
        value: '<time>',
        description: 'how often per-partition progress is printed (default 10s)',
      },
      quiet: { type: 'boolean', short: 'q', description: 'only errors on stderr' },
      'metrics-port': METRICS_PORT_OPTION,
    },
    details: [
      "Start the same command on each machine: the workers share the partitions through leases in Redis (ceil(partitions / workers) each), take over the partitions of a worker that dies (with backfill from the partition's last delivered time), and never open two connections to one partition. Every post lands in the Redis stream once.",
      'Every line on stderr starts with its time (UTC). A line when a partition is claimed, taken over (and from whom), handed over or lost; how much the takeover asks X to replay (backfill up to 5 minutes, recovery with start_time/end_time beyond); progress per partition (posts/s, lag from created_at, written, duplicates, reconnects; during a takeover replay, how many posts were already in Redis); a falling-behind line when a partition lags more than --max-lag.',
      'SIGTERM or Ctrl-C closes the connections, finishes the writes, releases the leases and prints a summary per partition and a total (written, duplicates, reconnects, backfill and recovery minutes).',
      'Environment: X_BEARER_TOKEN (or TWITTER_BEARER_TOKEN), BIRDSTREAM_BASE_URL, REDIS_URL.',
      'Exit codes: 2 usage, credentials, Redis unreachable; 130 after Ctrl-C, 143 after SIGTERM.',
    ],
    examples: [
      'birdstream ingest --endpoint firehose --partitions 1-20 --redis redis://10.0.0.5:6379',
      'birdstream ingest --partitions 1-20 --tweet-fields created_at,lang --stream posts',
    ],
  },

  async run(ctx, args) {
    const values = args.values;
    const endpointText = stringOption(values, 'endpoint') ?? 'firehose';
    if (!(endpointText in PARTITION_COUNTS)) {
      throw new UsageError(`--endpoint must be firehose or sample10, got '${endpointText}'.`, NAME);
    }
    const endpoint = endpointText as Endpoint;
    const max = PARTITION_COUNTS[endpoint];
    const partitions = parsePartitions(stringOption(values, 'partitions') ?? `1-${max}`, max);
    const redisUrl = stringOption(values, 'redis') ?? ctx.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
    const baseUrl = resolveBaseUrl(stringOption(values, 'base-url'), ctx.env);
    const token = requireToken(ctx.env);
    const params: Record<string, string[]> = {};
    const tweetFields = stringOption(values, 'tweet-fields');
    if (tweetFields) params['tweet.fields'] = tweetFields.split(',').map((s) => s.trim());
    const expansions = stringOption(values, 'expansions');
    if (expansions) params.expansions = expansions.split(',').map((s) => s.trim());
    const stallTimeoutMs = duration(values, 'stall-timeout');
    const leaseTtlMs = duration(values, 'lease-ttl');
    const renewIntervalMs = duration(values, 'renew-interval');
    const dedupeTtlMs = duration(values, 'dedupe-ttl');
    const progressIntervalMs = duration(values, 'progress-interval') ?? 10_000;
    const maxLagMs = duration(values, 'max-lag');
    const quiet = flag(values, 'quiet');
    const streamKey = stringOption(values, 'stream');
    const metricsPort = stringOption(values, 'metrics-port');
    const metricsAddress =
      metricsPort === undefined ? undefined : parseMetricsAddress(metricsPort, NAME);

    const redis = await connectRedis(redisUrl);
    const log = (line: string) => {
      if (!quiet) ctx.err(`${logTime(ctx.clock.now())} ${line}`);
    };
    // Loaded on use, so the other commands start without Redis's client.
    const { Ingestor: IngestorClass } = await import('@birdstream/redis');
    let ingestor: Ingestor;
    try {
      ingestor = new IngestorClass({
        client: new StreamClient({ bearerToken: token, baseUrl, clock: ctx.clock }),
        endpoint,
        partitions,
        redis,
        params,
        clock: ctx.clock,
        progressIntervalMs,
        ...(maxLagMs !== undefined ? { maxLagMs } : {}),
        ...(stringOption(values, 'owner') ? { owner: stringOption(values, 'owner') } : {}),
        ...(leaseTtlMs !== undefined ? { leaseTtlMs } : {}),
        ...(renewIntervalMs !== undefined ? { renewIntervalMs } : {}),
        streamOptions: {
          backfill: 'auto',
          ...(stallTimeoutMs !== undefined ? { stallTimeoutMs } : {}),
        },
        sink: {
          ...(streamKey ? { streamKey } : {}),
          ...(dedupeTtlMs !== undefined ? { dedupeTtlMs } : {}),
        },
      });
    } catch (error) {
      redis.disconnect();
      throw error;
    }
    for (const type of [
      'claimed',
      'takeover-backfill',
      'unrecoverable',
      'stopped',
      'progress',
      'falling-behind',
      'caught-up',
      'stream',
    ] as const) {
      ingestor.on(type, (event) => {
        const line = describeIngestEvent(event);
        if (line !== undefined) log(line);
      });
    }
    ingestor.on('error', (event) => {
      const where = event.partition === undefined ? '' : `partition ${event.partition}: `;
      ctx.err(`${logTime(ctx.clock.now())} birdstream: ${where}${event.error.message}`);
    });
    // --metrics-port: per partition and worker (owner, lease, written, duplicates) and per connection.
    const metrics =
      metricsAddress &&
      (await startMetricsEndpoint(ctx, metricsAddress).catch((error: unknown) => {
        redis.disconnect();
        throw error;
      }));
    metrics?.metrics.trackIngestor(ingestor, { name: endpoint });
    log(
      `ingesting ${endpoint} partitions ${stringOption(values, 'partitions') ?? `1-${max}`} into ${safeRedisUrl(redisUrl)} as ${ingestor.owner}.`,
    );

    const stopped = new Promise<void>((resolve) => {
      if (ctx.signal.aborted) resolve();
      ctx.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    try {
      await ingestor.start();
      await stopped;
    } finally {
      log('stopping: closing connections, finishing writes, releasing leases…');
      const closed = await Promise.race([
        ingestor.close().then(() => true),
        new Promise<false>((resolve) => {
          const timer = setTimeout(() => resolve(false), CLOSE_TIMEOUT_MS);
          timer.unref();
        }),
      ]);
      if (!closed) {
        ctx.err(
          `${logTime(ctx.clock.now())} birdstream: Redis did not finish within ${CLOSE_TIMEOUT_MS / 1000} s; the leases expire on their own and unfinished posts are replayed by backfill to the next owner.`,
        );
      }
      redis.disconnect();
      await metrics?.close();
    }
    for (const line of summaryLines(ingestor.stats())) log(line);
    log('stopped; leases released.');
    return ctx.signal.reason === 'SIGTERM' ? ExitCode.terminated : ExitCode.interrupted;
  },
};

/** Connects and pings, or throws a one-line CliError naming the URL (without password). */
export async function connectRedis(url: string): Promise<Redis> {
  const { Redis: RedisClient } = await import('ioredis');
  let started = false;
  let redis: Redis;
  try {
    redis = new RedisClient(url, {
      lazyConnect: true,
      connectTimeout: 5_000,
      maxRetriesPerRequest: null,
      // Before the first connection: fail fast. After it: reconnect forever (writes wait and retry).
      retryStrategy: (times) => (started ? Math.min(times * 100, 2_000) : null),
    });
  } catch (error) {
    throw new CliError(
      `--redis must be a Redis URL such as redis://127.0.0.1:6379 (${(error as Error).message}).`,
      ExitCode.error,
    );
  }
  let lastError: unknown;
  redis.on('error', (error) => {
    lastError = error;
  });
  try {
    await redis.connect();
    await redis.ping();
    started = true;
    return redis;
  } catch (error) {
    redis.disconnect();
    const cause = (lastError ?? error) as { code?: string; message?: string };
    throw new CliError(
      `Cannot reach Redis at ${safeRedisUrl(url)} (${cause.code ?? cause.message ?? 'no answer'}): start redis-server there or pass --redis <url>.`,
      ExitCode.error,
    );
  }
}
