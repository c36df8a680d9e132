/**
 * A `ReadableStream` over an async iterable that pulls one item per read, so
 * backpressure reaches the source (a slow reader stops the network reads).
 * Cancelling the stream returns the iterator, which closes the source.
 */
export function readableFromIterable<T>(iterable: AsyncIterable<T>): ReadableStream<T> {
  const iterator = iterable[Symbol.asyncIterator]();
  return new ReadableStream<T>(
    {
      async pull(controller) {
        try {
          const result = await iterator.next();
          if (result.done) controller.close();
          else controller.enqueue(result.value);
        } catch (error) {
          controller.error(error);
        }
      },
      async cancel() {
        await iterator.return?.();
      },
    },
    { highWaterMark: 0 },
  );
}
