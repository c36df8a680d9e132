import { driveStream, type StreamDriverContext } from '../driver/stream-driver.js';
import { emptyStats, type StreamStats } from '../driver/stream-stats.js';
import type { BirdstreamError } from '../errors/birdstream-error.js';
import { ConfigError } from '../errors/config-error.js';
import { StreamEventEmitter, type StreamEventListener } from '../events/event-emitter.js';
import type { StreamLifecycleEventType } from '../events/lifecycle.js';
import { readableFromIterable } from './iterator-readable.js';
import { type TeeBranches, type TeeOptions, teeIterator } from './stream-tee.js';

/**
 * How an `EndpointStream` is made (by `StreamClient`): what its driver needs
 * besides what the stream itself owns (events, counters, the abort signal).
 */
export type EndpointStreamInit = Omit<
  StreamDriverContext,
  'emitter' | 'stats' | 'signal' | 'onEnd'
>;

/**
 * A self-healing stream of one X stream endpoint's messages — posts (filtered,
 * sample, firehoses), likes, compliance events, labels or Activity events,
 * typed by the method that made it. Iterate it with `for await`: reconnects,
 * keep-alives and in-band errors never reach the loop, only the messages
 * that carry data do. The first connection is made when the loop starts.
 *
 * The loop ends quietly after `close()`, `signal` or `break`; it throws the
 * typed error that ended the stream otherwise (a fatal API error such as
 * `RuleConfigurationError`, or the last error once `maxRetries` is used up).
 * A stream can be iterated once; `tee()` shares its one connection between
 * several consumers.
 *
 * @example
 * ```ts
 * const stream = client.filter({ 'tweet.fields': ['created_at'] });
 * stream.on('reconnecting', (e) => console.warn(`reconnecting in ${e.delayMs} ms`, e.reason.message));
 * for await (const { data } of stream) console.log(data.created_at, data.text);
 * ```
 */
export class EndpointStream<R> implements AsyncIterable<R> {
  readonly #init: EndpointStreamInit;
  readonly #emitter: StreamEventEmitter;
  readonly #controller = new AbortController();
  readonly #stats: StreamStats = emptyStats();
  readonly #detachSignal: () => void;
  #consumed = false;
  #closedEmitted = false;

  constructor(init: EndpointStreamInit) {
    this.#init = init;
    this.#emitter = new StreamEventEmitter(init.options.on);
    const signal = init.options.signal;
    const onAbort = () => {
      void this.close();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    this.#detachSignal = () => signal?.removeEventListener('abort', onAbort);
    if (signal?.aborted) void this.close();
  }

  /**
   * Listens to one lifecycle event type; returns a function that removes
   * the listener.
   *
   * @example
   * ```ts
   * const off = stream.on('connected', (e) => console.log('connected', e.rateLimit));
   * off();
   * ```
   */
  on<K extends StreamLifecycleEventType>(type: K, listener: StreamEventListener<K>): () => void {
    return this.#emitter.on(type, listener);
  }

  /** A snapshot of the stream's counters. */
  get stats(): Readonly<StreamStats> {
    return { ...this.#stats };
  }

  /** True once the stream was closed or ended. */
  get closed(): boolean {
    return this.#controller.signal.aborted;
  }

  [Symbol.asyncIterator](): AsyncIterator<R> {
    if (this.#consumed) {
      throw new ConfigError(
        'This stream is already being consumed: an EndpointStream can be iterated once. To give several consumers every post, call stream.tee() before iterating: they share this one connection (a second stream would open a second connection, which X answers with 429 TooManyConnections).',
      );
    }
    this.#consumed = true;
    const generator = driveStream<R>({
      ...this.#init,
      emitter: this.#emitter,
      stats: this.#stats,
      signal: this.#controller.signal,
      onEnd: (error) => this.#finish(error as BirdstreamError | undefined),
    });
    const iterator: AsyncIterator<R> & AsyncIterable<R> = {
      // The generator's own promise per post, no wrapper around it: the driver itself reports
      // its end (`onEnd`) and returns at once once the stream is closed.
      next: () => generator.next(),
      return: async () => {
        await this.close();
        await generator.return(undefined);
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    return iterator;
  }

  /**
   * Closes the stream: aborts the HTTP request (the socket is released) and
   * any back-off wait at once, and ends the `for await` loop quietly.
   * Resolves once everything is released; safe to call more than once.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.#controller.abort();
    this.#finish(undefined);
  }

  /**
   * The posts as a `ReadableStream` that pulls one post per read, so
   * backpressure reaches the socket: a slow reader stops the network reads.
   * Cancelling it closes the stream. Counts as the stream's one iteration.
   */
  toReadableStream(): ReadableStream<R> {
    return readableFromIterable(this);
  }

  /**
   * Splits the stream into `count` consumers that each get every post,
   * over this stream's ONE connection (X allows few connections per app; a
   * second stream would earn 429 TooManyConnections). Counts as the
   * stream's one iteration; lifecycle events and `stats` stay on this
   * stream.
   *
   * Backpressure: the slowest consumer paces the connection. A consumer
   * may run up to `buffer` posts ahead, then waits for the slowest; nothing
   * is dropped and memory stays bounded. So every branch must be consumed
   * or ended (`break`): one left alone stops the others after `buffer`
   * posts. A consumer that breaks leaves the others running; when the last
   * one stops, the stream closes. The error that ends the stream reaches
   * every consumer after the posts it had buffered.
   *
   * @example
   * ```ts
   * const [archive, alerts] = client.filter({}).tee();
   * void (async () => { for await (const post of archive) await store(post); })();
   * for await (const post of alerts) if (urgent(post)) notify(post);
   * ```
   */
  tee<N extends number = 2>(count?: N, options?: TeeOptions): TeeBranches<R, N> {
    if (this.#consumed) {
      throw new ConfigError(
        'tee() must be called before the stream is iterated: this stream is already being consumed.',
      );
    }
    return teeIterator(() => this[Symbol.asyncIterator](), count ?? 2, options) as TeeBranches<
      R,
      N
    >;
  }

  /** Marks the stream finished, releases the signal listener and emits `closed` once. */
  #finish(error: BirdstreamError | undefined): void {
    if (!this.#controller.signal.aborted) this.#controller.abort();
    this.#detachSignal();
    if (this.#closedEmitted) return;
    this.#closedEmitted = true;
    this.#emitter.emit(error === undefined ? { type: 'closed' } : { type: 'closed', error });
  }
}
