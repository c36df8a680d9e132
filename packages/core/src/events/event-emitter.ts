import type {
  StreamEventHandlers,
  StreamLifecycleEvent,
  StreamLifecycleEventType,
} from '../events/lifecycle.js';

/** The event of type `K`. */
export type StreamEventOf<K extends StreamLifecycleEventType> = Extract<
  StreamLifecycleEvent,
  { type: K }
>;

/** A listener for events of type `K`. */
export type StreamEventListener<K extends StreamLifecycleEventType> = (
  event: StreamEventOf<K>,
) => void;

type AnyListener = (event: StreamLifecycleEvent) => void;

/**
 * A small typed emitter for lifecycle events. Listeners run synchronously in
 * the order they were added. A listener that throws does not stop the
 * stream or the other listeners: its error is rethrown on a later microtask
 * (like `EventTarget` does), where the process's unhandled-error handling
 * sees it.
 */
export class StreamEventEmitter {
  private readonly listeners = new Map<StreamLifecycleEventType, Set<AnyListener>>();

  constructor(handlers?: StreamEventHandlers) {
    if (!handlers) return;
    for (const [type, handler] of Object.entries(handlers)) {
      if (typeof handler === 'function') {
        this.on(
          type as StreamLifecycleEventType,
          handler as StreamEventListener<StreamLifecycleEventType>,
        );
      }
    }
  }

  /** Adds a listener; returns a function that removes it. */
  on<K extends StreamLifecycleEventType>(type: K, listener: StreamEventListener<K>): () => void {
    let set = this.listeners.get(type);
    if (!set) {
      set = new Set();
      this.listeners.set(type, set);
    }
    // Wrap so the same function added twice is called twice and removed once per unsubscribe.
    const entry: AnyListener = (event) => listener(event as StreamEventOf<K>);
    set.add(entry);
    return () => {
      set.delete(entry);
    };
  }

  /** True when at least one listener waits for `type` (lets callers skip building an event). */
  has(type: StreamLifecycleEventType): boolean {
    const set = this.listeners.get(type);
    return set !== undefined && set.size > 0;
  }

  emit(event: StreamLifecycleEvent): void {
    const set = this.listeners.get(event.type);
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

  /** Drops every listener (after the stream closed). */
  clear(): void {
    this.listeners.clear();
  }
}
