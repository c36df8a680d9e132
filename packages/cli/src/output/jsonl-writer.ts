import type { Writable } from 'node:stream';

/** Options of a `JsonlWriter`. */
export interface JsonlWriterOptions {
  /**
   * Whether `end()` closes the destination: true for a file the writer
   * opened, false for stdout.
   * @default false
   */
  owned?: boolean;
}

/**
 * Writes one JSON value per line to a Writable with backpressure: `write()`
 * returns a promise only when the destination's buffer is full, and that
 * promise resolves on `drain`, so a slow disk or a slow pipe slows the reader
 * down (and X's TCP window with it) instead of buffering without bound.
 */
export class JsonlWriter {
  private readonly destination: Writable;
  private readonly owned: boolean;
  private failure: Error | undefined;
  private lines = 0;
  private bytes = 0;
  private readonly waiters = new Set<(error?: Error) => void>();
  private readonly errorListeners = new Set<(error: Error) => void>();

  constructor(destination: Writable, options: JsonlWriterOptions = {}) {
    this.destination = destination;
    this.owned = options.owned ?? false;
    destination.on('error', this.handleError);
    destination.on('drain', this.onDrain);
  }

  /** Lines written so far. */
  get linesWritten(): number {
    return this.lines;
  }

  /** UTF-8 bytes written so far (newlines included). */
  get bytesWritten(): number {
    return this.bytes;
  }

  /**
   * Bytes handed to the destination that it has not flushed yet (a pipe whose
   * reader is not reading). After `end(signal)` gave up, what is lost.
   */
  get unflushedBytes(): number {
    return this.destination.writableLength;
  }

  /** The error the destination reported (EPIPE when a pipe reader went away, ENOSPC …). */
  get error(): Error | undefined {
    return this.failure;
  }

  /**
   * Calls `listener` once when the destination fails (a pipe reader went
   * away, the disk is full), even while nothing is being written.
   */
  onError(listener: (error: Error) => void): void {
    if (this.failure) listener(this.failure);
    else this.errorListeners.add(listener);
  }

  /**
   * Writes `value` as one line. Returns `undefined` when the destination can
   * take more, or a promise that resolves when it has drained (or at once
   * when `signal` aborts). Throws the destination's error if it failed.
   */
  write(value: unknown, signal?: AbortSignal): Promise<void> | undefined {
    return this.writeLine(JSON.stringify(value), signal);
  }

  /** Writes an already serialised line (without its newline). */
  writeLine(line: string, signal?: AbortSignal): Promise<void> | undefined {
    if (this.failure) throw this.failure;
    const text = `${line}\n`;
    this.lines += 1;
    this.bytes += Buffer.byteLength(text);
    if (this.destination.write(text)) return undefined;
    return this.waitForDrain(signal);
  }

  /**
   * Flushes everything written. For an owned file, ends it and waits until the
   * data is handed to the OS and the descriptor is closed; for stdout, waits
   * until its buffer has drained, or until `signal` aborts (a shutdown's grace
   * period: a reader that never reads must not hold the process; see
   * `unflushedBytes`). Rejects with the destination's error.
   */
  async end(signal?: AbortSignal): Promise<void> {
    const destination = this.destination;
    try {
      if (this.failure) throw this.failure;
      if (this.owned) {
        await new Promise<void>((resolve, reject) => {
          const onClose = () => {
            cleanup();
            if (this.failure) reject(this.failure);
            else resolve();
          };
          const onError = (error: Error) => {
            cleanup();
            reject(error);
          };
          const cleanup = () => {
            destination.off('close', onClose);
            destination.off('error', onError);
          };
          destination.once('close', onClose);
          destination.once('error', onError);
          destination.end();
        });
      } else if (destination.writableNeedDrain) {
        await this.waitForDrain(signal);
        if (this.failure) throw this.failure;
      }
    } finally {
      destination.off('drain', this.onDrain);
      // Keep listening for late errors (EPIPE after the last write) so they never crash the process.
      if (!this.owned) destination.off('error', this.handleError);
      if (!this.owned) destination.on('error', ignore);
    }
  }

  private waitForDrain(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => done();
      const done = (error?: Error) => {
        this.waiters.delete(done);
        signal?.removeEventListener('abort', onAbort);
        if (error) reject(error);
        else resolve();
      };
      this.waiters.add(done);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private readonly onDrain = () => {
    for (const waiter of [...this.waiters]) waiter();
  };

  private readonly handleError = (error: Error) => {
    if (this.failure) return;
    this.failure = error;
    for (const waiter of [...this.waiters]) waiter(error);
    for (const listener of [...this.errorListeners]) listener(error);
    this.errorListeners.clear();
  };
}

function ignore(): void {}
