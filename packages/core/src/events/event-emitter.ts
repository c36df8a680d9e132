import type {
  StreamEventHandlers,
  StreamLifecycleEvent,
  StreamLifecycleEventType,
} from '../events/lifecycle.js';
import { TypedEmitter } from './typed-emitter.js';

/** The event of type `K`. */
export type StreamEventOf<K extends StreamLifecycleEventType> = Extract<
  StreamLifecycleEvent,
  { type: K }
>;

/** A listener for events of type `K`. */
export type StreamEventListener<K extends StreamLifecycleEventType> = (
  event: StreamEventOf<K>,
) => void;

/**
 * The emitter of a stream's lifecycle events (`TypedEmitter`): listeners run
 * synchronously in the order they were added, and one that throws does not
 * stop the stream or the other listeners.
 */
export class StreamEventEmitter extends TypedEmitter<StreamLifecycleEvent> {
  constructor(handlers?: StreamEventHandlers) {
    super(handlers);
  }
}
