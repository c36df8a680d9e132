import type { PostDedupe } from '../dedupe/post-dedupe.js';
import type { ConnectionError } from '../errors/connection-error.js';
import type { StreamEventEmitter } from '../events/event-emitter.js';
import { itemTime } from '../operate/item-time.js';
import type { StreamSupervisor } from '../reconnect/supervisor.js';
import type { ConnectionMessage } from '../transport/connection-types.js';
import { operationalDisconnectError, postOf, translateMessage } from './message-events.js';
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
  /** Whether a post told its creation time since this was last cleared (the driver clears it per connection). */
  timedItems = false;
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
   * One live message handled at `at`, read from the connection at `readAt`
   * (`waiting` recovered posts and `bytesWaiting` bytes wait in the client):
   * the post it carries, to deliver unless it is a duplicate, or
   * `undefined`. The supervisor is told the read time: a post held while
   * the consumer worked through the ones before it was received no later.
   */
  admit(
    raw: ConnectionMessage<unknown>,
    at: number,
    waiting: number,
    bytesWaiting: number,
    readAt = at,
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
      case 'unrecognized':
        this.#stats.unrecognized++;
        this.#emitter.emit(message.event);
        return undefined;
      case 'response': {
        this.#stats.received++;
        this.#meters.drifted(message.drift, at);
        if (message.errors) this.#emitter.emit(message.errors);
        if (message.disconnect) {
          this.#supervisor.dispatch({ type: 'operational-disconnect' });
          this.disconnect = operationalDisconnectError(message.slowReader);
        }
        const post = message.post;
        if (post !== undefined) {
          const itemAt = itemTime(post);
          if (itemAt !== undefined) this.timedItems = true;
          this.#supervisor.dispatch({ type: 'activity', at: readAt, itemAt });
          this.#meters.received(at, post, itemAt);
        }
        return post;
      }
    }
  }

  /**
   * One message a recovery request replayed, read at `at`: the post it
   * carries, or `undefined`. Its lifecycle says nothing about the live
   * connection; what it could not deliver typed is still counted and
   * reported (`unrecognized`), and its drift joins the stream's report.
   */
  recovered(raw: ConnectionMessage<unknown>, at: number): R | undefined {
    if (raw.type === 'unrecognized') {
      this.#stats.unrecognized++;
      this.#emitter.emit({ type: 'unrecognized', ...raw.unrecognized });
      return undefined;
    }
    const post = postOf<R>(raw);
    if (post !== undefined && raw.type === 'response') this.#meters.drifted(raw.drift, at);
    return post;
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
