// Public API of @birdstream/redis/rx: the consumer group as an RxJS Observable.
import { Observable } from 'rxjs';
import {
  type ConsumedMessage,
  StreamConsumer,
  type StreamConsumerOptions,
} from './consumer/stream-consumer.js';

export type { ConsumedMessage, StreamConsumerOptions };

/**
 * A consumer group as a cold Observable: each subscription is one consumer.
 * Backpressure by acknowledgement: at most `count` (default 100) emitted
 * messages are unacknowledged at a time; the next is read only after an
 * `ack()`. Unsubscribing closes the consumer; messages not acknowledged stay
 * pending for the group (another consumer claims them after `claimIdleMs`).
 * A read error is the Observable's error.
 *
 * @example
 * ```ts
 * fromConsumerGroup({ redis, endpoint: 'firehose', group: 'indexer' })
 *   .pipe(concatMap(async (m) => { await index(m.data); await m.ack(); }))
 *   .subscribe();
 * ```
 */
export function fromConsumerGroup<T = unknown>(
  options: Omit<StreamConsumerOptions<T>, 'signal'>,
): Observable<ConsumedMessage<T>> {
  return new Observable<ConsumedMessage<T>>((subscriber) => {
    const consumer = new StreamConsumer<T>(options);
    const limit = options.count ?? 100;
    let unacked = 0;
    let wake: (() => void) | undefined;
    void (async () => {
      try {
        for (;;) {
          while (unacked >= limit && !subscriber.closed) {
            await new Promise<void>((resolve) => {
              wake = resolve;
            });
          }
          const message = await consumer.read();
          if (message === undefined || subscriber.closed) break;
          unacked++;
          let acked = false;
          const ack = message.ack;
          subscriber.next({
            ...message,
            ack: async () => {
              await ack();
              if (acked) return;
              acked = true;
              unacked--;
              wake?.();
            },
          });
        }
        subscriber.complete();
      } catch (error) {
        subscriber.error(error);
      }
    })();
    return () => {
      wake?.();
      void consumer.close();
    };
  });
}
