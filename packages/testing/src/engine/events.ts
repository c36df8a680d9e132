import type { StreamEndpoint } from '../faults/fault.js';
import type { AppliedFault, CloseReason, RejectedConnection } from './stats.js';

/** Things that happen inside the emulator, for tests to wait on (`emu.waitFor`) or watch (`emu.on`). */
export type EmulatorEvent =
  | { type: 'request'; method: string; path: string; status: number }
  | {
      type: 'connected';
      connectionId: number;
      endpoint: StreamEndpoint;
      /** The partition, on partitioned streams. */
      partition: number | undefined;
      backfillMinutes: number;
      gzip: boolean;
      userAgent: string | undefined;
    }
  | { type: 'rejected'; rejection: RejectedConnection }
  | { type: 'post'; connectionId: number; id: string; backfill: boolean }
  | { type: 'keep-alive'; connectionId: number }
  | { type: 'disconnected'; connectionId: number; reason: CloseReason }
  | { type: 'fault'; fault: AppliedFault }
  | { type: 'rules-changed'; count: number };

/** The `type` of an emulator event. */
export type EmulatorEventType = EmulatorEvent['type'];
/** The emulator event of type `T`. */
export type EmulatorEventOf<T extends EmulatorEventType> = Extract<EmulatorEvent, { type: T }>;
type Listener = (event: EmulatorEvent) => void;

/** A minimal typed event hub. */
export class EventHub {
  private readonly listeners = new Map<EmulatorEventType, Set<Listener>>();

  has(type: EmulatorEventType): boolean {
    return (this.listeners.get(type)?.size ?? 0) > 0;
  }

  on<T extends EmulatorEventType>(
    type: T,
    listener: (event: EmulatorEventOf<T>) => void,
  ): () => void {
    let set = this.listeners.get(type);
    if (!set) {
      set = new Set();
      this.listeners.set(type, set);
    }
    const l = listener as Listener;
    set.add(l);
    return () => set.delete(l);
  }

  emit(event: EmulatorEvent): void {
    const set = this.listeners.get(event.type);
    if (!set) return;
    for (const listener of [...set]) listener(event);
  }

  /** Resolves with the first event of `type` that satisfies `predicate`; rejects after `timeoutMs` real ms. */
  waitFor<T extends EmulatorEventType>(
    type: T,
    predicate: (event: EmulatorEventOf<T>) => boolean = () => true,
    timeoutMs = 5_000,
  ): Promise<EmulatorEventOf<T>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`No "${type}" event matching the predicate within ${timeoutMs} ms.`));
      }, timeoutMs);
      const off = this.on(type, (event) => {
        if (!predicate(event)) return;
        clearTimeout(timer);
        off();
        resolve(event);
      });
    });
  }

  clear(): void {
    this.listeners.clear();
  }
}
