import { describe, expect, test, vi } from 'vitest';
import { StreamEventEmitter } from '../../src/events/event-emitter.js';

describe('StreamEventEmitter', () => {
  test('calls listeners of the event type only, in order, and unsubscribes', () => {
    const calls: string[] = [];
    const emitter = new StreamEventEmitter({ stalled: () => calls.push('option') });
    const off = emitter.on('stalled', (e) => calls.push(`a${e.timeoutMs}`));
    emitter.on('keep-alive', () => calls.push('wrong'));
    emitter.emit({ type: 'stalled', timeoutMs: 5 });
    off();
    emitter.emit({ type: 'stalled', timeoutMs: 6 });
    expect(calls).toEqual(['option', 'a5', 'option']);
  });

  test('the same function added twice runs twice and each unsubscribe removes one', () => {
    const emitter = new StreamEventEmitter();
    const listener = vi.fn();
    const off1 = emitter.on('closed', listener);
    emitter.on('closed', listener);
    emitter.emit({ type: 'closed' });
    expect(listener).toHaveBeenCalledTimes(2);
    off1();
    emitter.emit({ type: 'closed' });
    expect(listener).toHaveBeenCalledTimes(3);
  });

  test('a throwing listener does not stop the others; its error is rethrown on a microtask', async () => {
    const emitter = new StreamEventEmitter();
    const after = vi.fn();
    const boom = new Error('listener bug');
    emitter.on('closed', () => {
      throw boom;
    });
    emitter.on('closed', after);
    const queued: (() => void)[] = [];
    const spy = vi.spyOn(globalThis, 'queueMicrotask').mockImplementation((cb) => queued.push(cb));
    emitter.emit({ type: 'closed' });
    spy.mockRestore();
    expect(after).toHaveBeenCalledOnce();
    expect(queued).toHaveLength(1);
    expect(() => queued[0]!()).toThrow(boom);
  });

  test('has() tells whether anyone listens', () => {
    const emitter = new StreamEventEmitter();
    expect(emitter.has('keep-alive')).toBe(false);
    const off = emitter.on('keep-alive', () => {});
    expect(emitter.has('keep-alive')).toBe(true);
    off();
    expect(emitter.has('keep-alive')).toBe(false);
  });
});
