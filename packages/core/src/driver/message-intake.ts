import type { PostDedupe } from '../dedupe/post-dedupe.js';
import type { ConnectionError } from '../errors/connection-error.js';
import type { StreamEventEmitter } from '../events/event-emitter.js';
import { itemTime } from '../operate/item-time.js';
import type { StreamSupervisor } from '../reconnect/supervisor.js';
import type { ConnectionMessage } from '../transport/connection-types.js';
import { operationalDisconnectError, translateMessage } from './message-events.js';
import type { StreamMeters } from './stream-meters.js';
import type { StreamStats } from './stream-stats.js';

/**
 * What the driver does with each message before a post is delivered: the
 * one place it reads what the parser made of a live message (counted in
 * `stats`, its events emitted, the supervisor and the meters told), and the
 * dedupe check every post goes through, live or recovered.
 */
export class MessageIntake<R> {
  /** X announced an operational disconnect: the failure to end the connection with after this message. */
  disconnect: ConnectionError | undefined;
  readonly #emitter: StreamEventEmitter;
  readonly #stats: StreamStats;
  readonly #meters: StreamMeters;
  readonly #supervisor: StreamSupervisor;
  readonly #dedupe: PostDedupe | undefined;
  readonly #dedupeKey: (message: unknown) => string | undefined;

  constructor(init: {
    emitter: StreamEventEmitter;
    stats: StreamStats;
    meters: StreamMeters;
    supervisor: StreamSupervisor;
    dedupe: PostDedupe | undefined;
    /** The identity of a message (the endpoint row's `dedupeKey`). */
    dedupeKey: (message: unknown) => string | undefined;
  }) {
    this.#emitter = init.emitter;
    this.#stats = init.stats;
    this.#meters = init.meters;
    this.#supervisor = init.supervisor;
    this.#dedupe = init.dedupe;
    this.#dedupeKey = init.dedupeKey;
  }

  /**
   * One live message received at `at` (`waiting` recovered posts and
   * `bytesWaiting` bytes wait in the client): the post it carries, to
   * deliver unless it is a duplicate, or `undefined`.
   */
  admit(
    raw: ConnectionMessage<unknown>,
    at: number,
    waiting: number,
    bytesWaiting: number,
  ): R | undefined {
    const message = translateMessage<R>(raw, at);
    this.#meters.waiting(waiting, bytesWaiting);
    this.#meters.tick(at);
    switch (message.kind) {
      case 'keep-alive':
        this.#stats.keepAlives++;
        if (this.#emitter.has('keep-alive')) this.#emitter.emit(message.event);
        return undefined;
      case 'payload-invalid':
        this.#stats.invalid++;
        this.#emitter.emit(message.event);
        return undefined;
      case 'response': {
        this.#stats.received++;
        if (message.errors) this.#emitter.emit(message.errors);
        if (message.disconnect) {
          this.#supervisor.dispatch({ type: 'operational-disconnect' });
          this.disconnect = operationalDisconnectError(message.slowReader);
        }
        const post = message.post;
        if (post !== undefined) {
          const itemAt = itemTime(post);
          this.#supervisor.dispatch({ type: 'activity', at, itemAt });
          this.#meters.received(at, post, itemAt);
        }
        return post;
      }
    }
  }

  /**
   * True (and counted, and reported) when an item with this post's key was
   * already delivered: live posts and posts a recovery replayed go through
   * the same check.
   */
  duplicate(post: unknown, at: number): boolean {
    if (this.#dedupe === undefined) return false;
    const key = this.#dedupeKey(post);
    if (key === undefined || !this.#dedupe.seen(key, at)) return false;
    this.#stats.duplicates++;
    this.#emitter.emit({ type: 'duplicate', id: key });
    return true;
  }
}
