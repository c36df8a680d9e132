import { StallError } from '../errors/stall-error.js';
import type { StreamEventEmitter } from '../events/event-emitter.js';
import type { Clock } from '../time/clock.js';
import type {
  ConnectionMessage,
  ConnectOptions,
  StreamConnection,
} from '../transport/connection-types.js';
import { StallWatchdog } from './stall-watchdog.js';

/** One network read's messages. */
export type Batch = readonly ConnectionMessage<unknown>[];

/** What `read()` answers when the `woken` promise won: nothing was read, look elsewhere first. */
export const WOKEN = Symbol('woken');

/**
 * Reads one live connection a batch at a time and watches it:
 * - the **stall watchdog**: no byte for `stallTimeoutMs` while the driver
 *   waits for data ends the connection (`stalled` event);
 * - the **frame rule**: bytes that never complete a frame (message or
 *   keep-alive) for a whole stall window are not life either (a framing
 *   not understood), reported with `bytesWithoutMessage`;
 * - **holds**: while the consumer holds a post the watchdog is paused, so
 *   slow processing is never mistaken for a dead socket.
 *
 * One promise per network read, however many messages it holds
 * (`readBatch()`, decisions/0004). Made before the connection opens (its
 * `onBytes`/`onFrame` go into the connect options), attached once it is.
 */
export class ConnectionReader {
  /** True once the watchdog or the frame rule ended the connection. */
  stalled = false;
  /** The stall was bytes that never completed a frame. */
  bytesWithoutMessage = false;
  readonly #clock: Clock;
  readonly #stallTimeoutMs: number;
  readonly #emitter: StreamEventEmitter;
  readonly #signal: AbortSignal;
  readonly #watchdog: StallWatchdog;
  /** Closing the stream while the consumer holds a post must not leave the timer behind. */
  readonly #stopWatchdog = () => this.#watchdog.stop();
  #connection: StreamConnection<unknown> | undefined;
  #readBatch: (() => Promise<Batch | null>) | undefined;
  /** A read raced against a wake-up that lost: the next `read()` answers with it. */
  #pending: Promise<Batch | null> | undefined;
  /** When the last complete frame arrived, or the connection opened. */
  #lastFrameAt: number;
  #bytesSinceFrame = false;

  /**
   * @param onBytes called with the time and the byte count whenever bytes
   * arrived (`stats.lastByteAt`, `stats.bytes`).
   * @param onFrame called with the time whenever a read completed a frame (a
   * message or a keep-alive): the supervisor's `activity`. Bytes of a frame
   * not yet complete are not what was received: a post cut by a reset was
   * not delivered, however late its first half came.
   */
  constructor(
    clock: Clock,
    stallTimeoutMs: number,
    emitter: StreamEventEmitter,
    signal: AbortSignal,
    private readonly onBytes: (at: number, bytes: number) => void,
    private readonly onFrame: (at: number) => void = () => undefined,
  ) {
    this.#clock = clock;
    this.#stallTimeoutMs = stallTimeoutMs;
    this.#emitter = emitter;
    this.#signal = signal;
    this.#lastFrameAt = clock.now();
    this.#watchdog = new StallWatchdog(clock, stallTimeoutMs, () =>
      this.#reportStall(this.#bytesSinceFrame),
    );
    signal.addEventListener('abort', this.#stopWatchdog, { once: true });
  }

  /** The connect options of the connection this reader watches. */
  connectOptions(base: ConnectOptions): ConnectOptions {
    return {
      ...base,
      onBytes: (bytes) => {
        const at = this.#clock.now();
        this.onBytes(at, bytes);
        this.#watchdog.touch();
        this.#bytesSinceFrame = true;
        // Bytes that never complete a frame are not life: once they have come for a whole stall window, report it.
        if (at - this.#lastFrameAt >= this.#stallTimeoutMs) this.#reportStall(true);
      },
      onFrame: () => {
        const at = this.#clock.now();
        this.#lastFrameAt = at;
        this.#bytesSinceFrame = false;
        this.onFrame(at);
      },
    };
  }

  /** The connection is open: start watching it. */
  attach(connection: StreamConnection<unknown>): void {
    this.#connection = connection;
    if (typeof connection.readBatch === 'function') {
      this.#readBatch = () => connection.readBatch!();
    } else {
      // Another implementation: its async iterator, one message per batch.
      const messages = connection[Symbol.asyncIterator]();
      this.#readBatch = async () => {
        const next = await messages.next();
        return next.done ? null : [next.value];
      };
    }
    this.#watchdog.arm();
  }

  /** Bytes received that are not yet a message (for the lag meter). */
  get bytesWaiting(): number {
    return this.#connection?.bytesWithoutMessage ?? 0;
  }

  /**
   * The next batch, `null` when the body ended. With `woken`, whichever
   * comes first: `WOKEN` leaves the read pending for the next call.
   */
  async read(woken?: Promise<typeof WOKEN>): Promise<Batch | null | typeof WOKEN> {
    this.#pending ??= this.#readBatch!();
    const pending = this.#pending;
    const batch = woken === undefined ? await pending : await Promise.race([pending, woken]);
    if (batch !== WOKEN) this.#pending = undefined;
    return batch;
  }

  /** The consumer has a post: its time is not the network's silence. */
  hold(): void {
    this.#watchdog.disarm();
  }

  /** The consumer gave the post back at `at`: the countdowns start over. */
  release(at: number): void {
    this.#lastFrameAt = at;
    this.#watchdog.arm(at);
  }

  /** The error the connection ended with when it stalled. */
  stallError(): StallError {
    return new StallError(this.#stallTimeoutMs, { bytesWithoutMessage: this.bytesWithoutMessage });
  }

  /** Stops watching and closes the connection (if it opened). */
  async close(): Promise<void> {
    this.#watchdog.stop();
    this.#signal.removeEventListener('abort', this.#stopWatchdog);
    await this.#connection?.close();
  }

  #reportStall(withoutMessage: boolean): void {
    if (this.stalled) return;
    this.stalled = true;
    this.bytesWithoutMessage = withoutMessage;
    const timeoutMs = this.#stallTimeoutMs;
    this.#emitter.emit(
      withoutMessage
        ? { type: 'stalled', timeoutMs, bytesWithoutMessage: true }
        : { type: 'stalled', timeoutMs },
    );
    void this.#connection?.close();
  }
}
