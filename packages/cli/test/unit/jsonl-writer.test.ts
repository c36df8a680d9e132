import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it, onTestFinished } from 'vitest';
import { JsonlWriter } from '../../src/output/jsonl-writer.js';
import { openOutput } from '../../src/stream/open-output.js';

/** A Writable that holds every chunk until `release()` is called. */
function slowSink(highWaterMark: number) {
  const chunks: string[] = [];
  const pending: (() => void)[] = [];
  const sink = new Writable({
    highWaterMark,
    write(chunk, _encoding, callback) {
      chunks.push(String(chunk));
      pending.push(callback);
    },
  });
  return {
    sink,
    chunks,
    release() {
      for (const callback of pending.splice(0)) callback();
    },
  };
}

describe('JsonlWriter', () => {
  it('writes one JSON value per line and keeps 19-digit ids and multibyte text exact', async () => {
    const { sink, chunks, release } = slowSink(1 << 20);
    const writer = new JsonlWriter(sink);
    expect(writer.write({ id: '1377650090978992134', text: 'café 🥁 日本' })).toBeUndefined();
    release();
    await writer.end();
    expect(chunks.join('')).toBe('{"id":"1377650090978992134","text":"café 🥁 日本"}\n');
    expect(writer.linesWritten).toBe(1);
    expect(writer.bytesWritten).toBe(Buffer.byteLength(chunks.join('')));
  });

  it('applies backpressure: write() waits for drain once the buffer is full', async () => {
    const { sink, release } = slowSink(16);
    const writer = new JsonlWriter(sink);
    const waiting = writer.write({ text: 'more than sixteen bytes' });
    expect(waiting).toBeInstanceOf(Promise);
    let drained = false;
    void waiting?.then(() => {
      drained = true;
    });
    await Promise.resolve();
    expect(drained).toBe(false);
    release();
    await waiting;
    expect(drained).toBe(true);
  });

  it('stops waiting when the signal aborts, and rejects with the destination error', async () => {
    const { sink } = slowSink(1);
    const writer = new JsonlWriter(sink);
    const controller = new AbortController();
    const waiting = writer.write({ a: 1 }, controller.signal);
    controller.abort();
    await expect(waiting).resolves.toBeUndefined();

    const failing = slowSink(1);
    const other = new JsonlWriter(failing.sink);
    const pending = other.write({ a: 1 });
    failing.sink.destroy(Object.assign(new Error('broken pipe'), { code: 'EPIPE' }));
    await expect(pending).rejects.toMatchObject({ code: 'EPIPE' });
    expect(() => other.write({ b: 2 })).toThrow('broken pipe');
  });

  it('reports a destination failure to onError listeners, even between writes', () => {
    const { sink } = slowSink(1 << 20);
    const writer = new JsonlWriter(sink);
    const seen: unknown[] = [];
    writer.onError((error) => seen.push((error as NodeJS.ErrnoException).code));
    sink.emit('error', Object.assign(new Error('no space'), { code: 'ENOSPC' }));
    sink.emit('error', Object.assign(new Error('again'), { code: 'EIO' }));
    expect(seen).toEqual(['ENOSPC']);
    writer.onError((error) => seen.push((error as NodeJS.ErrnoException).code));
    expect(seen).toEqual(['ENOSPC', 'ENOSPC']);
  });

  it('flushes and closes an owned file on end()', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'birdstream-cli-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'out.jsonl');
    const output = openOutput('out.jsonl', { cwd: dir, append: false, stdout: process.stdout });
    for (let i = 0; i < 1000; i++) {
      const pending = output.writer.write({ i, text: 'x'.repeat(100) });
      if (pending) await pending;
    }
    await output.writer.end();
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(1000);
    expect(JSON.parse(lines[999] ?? '')).toMatchObject({ i: 999 });

    const again = openOutput('out.jsonl', { cwd: dir, append: true, stdout: process.stdout });
    again.writer.write({ i: 1000 });
    await again.writer.end();
    expect(readFileSync(path, 'utf8').split('\n')).toHaveLength(1002);
  });

  it('fails before connecting when the output file cannot be opened', () => {
    expect(() =>
      openOutput('missing-dir/out.jsonl', { cwd: tmpdir(), append: false, stdout: process.stdout }),
    ).toThrow('Cannot write the output file missing-dir/out.jsonl: its directory does not exist.');
  });
});
