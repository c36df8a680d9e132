import {
  ConfigError,
  type EndpointStream,
  type PartitionedStream,
  type StreamLifecycleEvent,
} from '@birdstream/core';
import type { Ingestor } from '@birdstream/redis';
import { Counter, Gauge, type Registry } from 'prom-client';
import { DEFAULT_PREFIX, type FamilySpec, INGEST_FAMILIES, STREAM_FAMILIES } from './families.js';
import { IngestFigures } from './ingest/ingest-figures.js';
import { watchIngestor } from './ingest/ingest-mapping.js';
import { ingestSamples, type Sample, streamSamples } from './samples.js';
import { StreamFigures } from './stream/stream-figures.js';
import { trackEndpointStream, trackPartitionedStream } from './stream/track-stream.js';

/** Options of `BirdstreamMetrics`. */
export interface BirdstreamMetricsOptions {
  /**
   * Your prom-client `Registry` (or prom-client's default `register`): the
   * metric families are registered there, once. A library never owns the
   * process's registry; you choose which one, and serve it.
   */
  registry: Registry;
  /**
   * The first part of every metric name.
   * @default 'birdstream_'
   */
  prefix?: string;
}

/** Options of `trackStream` and `observer`. */
export interface TrackStreamOptions {
  /**
   * The `stream` label: a fixed name per stream of your program, such as
   * the endpoint (`filter`, `firehose`). Streams tracked under one name add
   * up. Never a value that grows without bound (a post id, a timestamp).
   */
  name: string;
}

/** Options of `trackIngestor`. */
export interface TrackIngestorOptions {
  /**
   * The `stream` label of the partitions' connections in the stream
   * families, usually the endpoint (`firehose`).
   */
  name: string;
}

/** A lifecycle event, or a post as an rx pipeline carries it (`{ type: 'response' }`). */
export type ObservedEvent = StreamLifecycleEvent | { type: 'response' };

/**
 * Prometheus metrics for birdstream's streams and Redis ingest, registered
 * in a prom-client `Registry` you own. Track core streams
 * (`client.stream()`, `client.filter()`, `client.partitions()`), feed an
 * rx pipeline's events to `observer()`, and track an `Ingestor`; every
 * scrape reads the current figures (the streams' `stats` and lifecycle
 * events, the Ingestor's `stats()`, the last lag interval).
 * Names and labels: the package README, or `BirdstreamMetrics.families`.
 *
 * @example
 * ```ts
 * import { Registry } from 'prom-client';
 * const registry = new Registry();
 * const metrics = new BirdstreamMetrics({ registry });
 * const stream = client.filter({});
 * metrics.trackStream(stream, { name: 'filter' });
 * // serve registry.metrics() on /metrics, e.g. with serveMetrics(registry, { port: 9464 })
 * ```
 */
export class BirdstreamMetrics {
  /** Every family's name (without prefix), type, help and labels. */
  static readonly families: readonly FamilySpec[] = [
    ...Object.values(STREAM_FAMILIES),
    ...Object.values(INGEST_FAMILIES),
  ];

  readonly #streams = new Map<string, StreamFigures>();
  readonly #workers = new Map<string, IngestFigures>();

  constructor(options: BirdstreamMetricsOptions) {
    const registry = options?.registry;
    if (registry === undefined || typeof registry.registerMetric !== 'function') {
      throw new ConfigError(
        'BirdstreamMetrics needs { registry }: a prom-client Registry (new Registry(), or prom-client’s register).',
      );
    }
    const prefix = options.prefix ?? DEFAULT_PREFIX;
    for (const key of Object.keys(STREAM_FAMILIES) as (keyof typeof STREAM_FAMILIES)[]) {
      this.#register(registry, prefix, STREAM_FAMILIES[key], () =>
        streamSamples(key, this.#streams.values()),
      );
    }
    for (const key of Object.keys(INGEST_FAMILIES) as (keyof typeof INGEST_FAMILIES)[]) {
      this.#register(registry, prefix, INGEST_FAMILIES[key], () =>
        ingestSamples(key, this.#workers.values()),
      );
    }
  }

  /**
   * Counts a core stream (`EndpointStream`) or a partitioned stream (one set
   * of series per partition). Call it before iterating, so no event is
   * missed. Returns a function that stops tracking; the counts so far stay.
   */
  trackStream(
    stream: EndpointStream<unknown> | PartitionedStream<unknown>,
    options: TrackStreamOptions,
  ): () => void {
    const name = checkName(options?.name, 'trackStream');
    // Told apart by shape, not instanceof: two copies of core may be loaded.
    if (isPartitioned(stream)) {
      return trackPartitionedStream(stream, (partition) => this.#figures(name, partition));
    }
    return trackEndpointStream(stream, this.#figures(name, undefined));
  }

  /**
   * A function that counts what an rx pipeline emits: pass it to `tap()`
   * after `retryStream` (and after `dedupeById`, whose `onDuplicate` can
   * report `{ type: 'duplicate' }` to it), so posts (`response` events)
   * are counted once.
   *
   * @example
   * ```ts
   * const observe = metrics.observer({ name: 'filter' });
   * fromFilteredStream(client, params).pipe(
   *   retryStream({ backfill: 'auto' }),
   *   dedupeById({ onDuplicate: (id) => observe({ type: 'duplicate', id }) }),
   *   tap((event) => observe(event)),
   *   responses(),
   * );
   * ```
   */
  observer(options: TrackStreamOptions & { partition?: number }): (event: ObservedEvent) => void {
    const figures = this.#figures(checkName(options?.name, 'observer'), options.partition);
    figures.countsResponses = true;
    return (event) => figures.apply(event);
  }

  /**
   * Tracks an `Ingestor` (`@birdstream/redis`). Every scrape reads its
   * `stats()`: per partition, whether this worker holds it, the lease
   * (fencing token, renewal, expiry), messages received, written and
   * duplicates, reconnects, backfill, recovered and unrecoverable time,
   * claims, takeovers, leases lost, falling behind, post age, write lag and
   * pending writes; per worker, the lease round's figures. Its events add
   * stops by reason, the takeover backfill, errors, and each partition's
   * connection in the stream families. Call it before `start()` (so no
   * event is missed). Returns a function that stops tracking; the counts
   * so far stay, and an Ingestor tracked later under the same `owner` adds
   * to them.
   */
  trackIngestor(
    ingestor: Pick<Ingestor, 'on' | 'owner' | 'stats'>,
    options: TrackIngestorOptions,
  ): () => void {
    const name = checkName(options?.name, 'trackIngestor');
    let figures = this.#workers.get(ingestor.owner);
    if (figures === undefined) {
      figures = new IngestFigures(ingestor.owner);
      this.#workers.set(ingestor.owner, figures);
    }
    return watchIngestor(ingestor, figures, (partition) => this.#figures(name, partition));
  }

  #figures(name: string, partition: number | undefined): StreamFigures {
    const key = partition === undefined ? name : `${name}\u0000${partition}`;
    let figures = this.#streams.get(key);
    if (figures === undefined) {
      figures = new StreamFigures(name, partition);
      this.#streams.set(key, figures);
    }
    return figures;
  }

  #register(registry: Registry, prefix: string, spec: FamilySpec, samples: () => Sample[]): void {
    const name = `${prefix}${spec.name}`;
    if (registry.getSingleMetric(name) !== undefined) {
      throw new ConfigError(
        `The registry already has a metric named ${name}: create one BirdstreamMetrics per registry and track every stream with it (or pass another prefix).`,
      );
    }
    const config = {
      name,
      help: spec.help,
      labelNames: [...spec.labels],
      registers: [registry],
    };
    if (spec.type === 'counter') {
      new Counter({
        ...config,
        collect(this: Counter) {
          this.reset();
          for (const sample of samples()) this.inc(sample.labels, sample.value);
        },
      });
    } else {
      new Gauge({
        ...config,
        collect(this: Gauge) {
          this.reset();
          for (const sample of samples()) this.set(sample.labels, sample.value);
        },
      });
    }
  }
}

function checkName(name: unknown, method: string): string {
  if (typeof name !== 'string' || name.length === 0) {
    throw new ConfigError(
      `${method} needs { name }: the stream label, a fixed name such as 'filter' or 'firehose'.`,
    );
  }
  return name;
}

function isPartitioned(
  stream: EndpointStream<unknown> | PartitionedStream<unknown>,
): stream is PartitionedStream<unknown> {
  return Array.isArray((stream as { partitions?: unknown }).partitions);
}
