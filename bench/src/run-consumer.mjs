// @ts-check
/**
 * Spawns one consumer process (`node consumer.mjs <spec>`) and returns its
 * `BENCH_RESULT` line, or a failed result when it crashed or hung.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CONSUMERS } from './consumers/index.mjs';
import { findRuntime } from './runtimes.mjs';

const CONSUMER = fileURLToPath(new URL('./consumer.mjs', import.meta.url));

/**
 * @typedef {object} ConsumerResult
 * @property {string} consumer
 * @property {number} count objects the library delivered
 * @property {number} intact
 * @property {number} lost
 * @property {number} corrupted
 * @property {number} duplicates
 * @property {number} checksum
 * @property {number} elapsedMs request start → last intact post held
 * @property {number} cpuMs CPU time of the process (all threads) from request start to the end
 * @property {number} maxRssKB
 * @property {string | undefined} error
 * @property {number[] | undefined} receivedAt
 */

/**
 * @param {import('./consumer.mjs').ConsumerSpec} spec
 * @param {number} timeoutMs kill the process after this long
 * @returns {Promise<ConsumerResult>}
 */
export function runConsumer(spec, timeoutMs) {
  return new Promise((resolve) => {
    // BENCH_CONSUMER_NODE_ARGS: extra node flags for the consumer processes only, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
    const nodeArgs = (process.env.BENCH_CONSUMER_NODE_ARGS ?? '').split(' ').filter(Boolean);
    // Consumers marked with a runtime (Bun, Deno) run consumer.mjs on it instead of Node.
    const runtime = CONSUMERS.find((c) => c.file === spec.consumer)?.runtime;
    const command = runtime ? findRuntime(runtime) : undefined;
    const [binary, args] =
      command && 'binary' in command
        ? [command.binary, command.argsFor(CONSUMER, JSON.stringify(spec))]
        : [process.execPath, [...nodeArgs, CONSUMER, JSON.stringify(spec)]];
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      if (stderr.length < 4000) stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
      if (line) {
        resolve(JSON.parse(line.slice('BENCH_RESULT '.length)));
        return;
      }
      const why = signal ? `killed (${signal}) after ${timeoutMs} ms` : `exited with ${code}`;
      resolve({
        consumer: spec.consumer,
        count: 0,
        intact: 0,
        lost: Number.NaN,
        corrupted: 0,
        duplicates: 0,
        checksum: 0,
        elapsedMs: Number.NaN,
        cpuMs: Number.NaN,
        maxRssKB: Number.NaN,
        error: `no result: ${why}. ${stderr.trim().split('\n').slice(-3).join(' | ')}`,
        receivedAt: undefined,
      });
    });
  });
}
