/** The member of `E` whose `type` is `K`. */
export type EventOf<E extends { type: string }, K extends E['type']> = Extract<E, { type: K }>;

/** Listeners by event type, as a `{ type: listener }` object. */
export type EventHandlers<E extends { type: string }> = {
  [K in E['type']]?: (event: EventOf<E, K>) => void;
};

type AnyListener<E> = (event: E) => void;

/**
 * A small typed emitter of events told apart by `type`: core's streams, the
 * webhook receiver and the partitioned stream share it. Listeners run
 * synchronously in the order they were added. A listener that throws stops
 * neither the emitter's owner nor the other listeners: its error is rethrown
 * on a later microtask (like `EventTarget` does), where the runtime's
 * unhandled-error handling reports it.
 */
export class TypedEmitter<E extends { type: string }> {
  readonly #listeners = new Map<E['type'], Set<AnyListener<E>>>();

  constructor(handlers?: EventHandlers<E>) {
    if (!handlers) return;
    for (const [type, handler] of Object.entries(handlers)) {
      if (typeof handler === 'function') this.on(type as E['type'], handler as AnyListener<E>);
    }
  }

  /** Adds a listener; returns a function that removes it. */
  on<K extends E['type']>(type: K, listener: (event: EventOf<E, K>) => void): () => void {
    let set = this.#listeners.get(type);
    if (!set) {
      set = new Set();
      this.#listeners.set(type, set);
    }
    // Wrap so the same function added twice is called twice and removed once per unsubscribe.
    const entry: AnyListener<E> = (event) => listener(event as EventOf<E, K>);
    set.add(entry);
    return () => {
      set.delete(entry);
    };
  }

  /** True when at least one listener waits for `type` (lets callers skip building an event). */
  has(type: E['type']): boolean {
    const set = this.#listeners.get(type);
    return set !== undefined && set.size > 0;
  }

  emit(event: E): void {
    const set = this.#listeners.get(event.type);
    if (!set || set.size === 0) return;
    for (const listener of [...set]) {
      try {
        listener(event);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  /** Drops every listener. */
  clear(): void {
    this.#listeners.clear();
  }
}
