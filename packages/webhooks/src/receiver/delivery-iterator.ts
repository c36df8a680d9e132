import { handoffFailure } from './handoff-failure.js';
import type { WebhookConsumer, WebhookDelivery } from './webhook-delivery.js';

/** The default number of deliveries an iterator holds for a loop that is busy. */
export const DEFAULT_BUFFER_SIZE = 256;

interface Entry<R> {
  delivery: WebhookDelivery<R>;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * The deliveries of a receiver as an async iterator, acknowledged when the
 * loop comes back for the next one: X is answered 200 for a delivery only
 * once the loop body that received it has finished. Deliveries wait in a
 * buffer of `bufferSize` while the loop is busy; past it, X is answered 503.
 * Leaving the loop (`break`, `return`, a throw) answers the delivery in hand
 * 503 (X redelivers it) and those waiting 503 too.
 */
export class DeliveryIterator<R> implements AsyncIterableIterator<WebhookDelivery<R>> {
  readonly #buffer: Entry<R>[] = [];
  readonly #bufferSize: number;
  #held: Entry<R> | undefined;
  #waiter: ((result: IteratorResult<WebhookDelivery<R>>) => void) | undefined;
  #done = false;
  readonly #detach: () => void;

  constructor(attach: (consumer: WebhookConsumer<R>) => () => void, bufferSize: number) {
    this.#bufferSize = bufferSize;
    this.#detach = attach((delivery, signal) => this.#offer(delivery, signal));
  }

  #offer(delivery: WebhookDelivery<R>, signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (this.#done) return reject(handoffFailure('closed'));
      const entry: Entry<R> = { delivery, resolve, reject };
      const waiter = this.#waiter;
      if (waiter !== undefined) {
        this.#waiter = undefined;
        this.#held = entry;
        waiter({ value: delivery, done: false });
        return;
      }
      if (this.#buffer.length >= this.#bufferSize) return reject(handoffFailure('buffer-full'));
      this.#buffer.push(entry);
      signal.addEventListener(
        'abort',
        () => {
          const at = this.#buffer.indexOf(entry);
          if (at === -1) return;
          this.#buffer.splice(at, 1);
          reject(handoffFailure('timeout'));
        },
        { once: true },
      );
    });
  }

  next(): Promise<IteratorResult<WebhookDelivery<R>>> {
    // Coming back for the next one: the loop body finished with the one in hand.
    this.#held?.resolve();
    this.#held = undefined;
    const entry = this.#buffer.shift();
    if (entry !== undefined) {
      this.#held = entry;
      return Promise.resolve({ value: entry.delivery, done: false });
    }
    if (this.#done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.#waiter = resolve;
    });
  }

  return(): Promise<IteratorResult<WebhookDelivery<R>>> {
    this.#held?.reject(handoffFailure('consumer-left'));
    this.#held = undefined;
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  /** Ends the iteration: the loop finishes after the delivery in hand; those waiting are answered 503. */
  end(): void {
    if (this.#done) return;
    this.#done = true;
    this.#detach();
    for (const entry of this.#buffer.splice(0)) entry.reject(handoffFailure('closed'));
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
