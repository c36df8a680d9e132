import { ConfigError, STREAM_ENDPOINT_NAMES } from '@birdstream/core';
import { FAULT_TYPES, type Fault, type ScriptedFault } from './fault.js';

const SPLIT_MODES = new Set(['byte', 'utf8', 'crlf', 'cr-lf', 'random', 'coalesce']);
const SERVER_STATUSES = new Set([500, 502, 503, 504]);

function nonNegative(value: unknown, name: string, type: string): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ConfigError(
      `Fault "${type}": \`${name}\` must be a finite number >= 0, got ${String(value)}.`,
    );
  }
}

/** Throws a `ConfigError` that names the problem when a fault is malformed. */
export function validateFault(fault: Fault | ScriptedFault): void {
  if (typeof fault !== 'object' || fault === null || !FAULT_TYPES.includes(fault.type)) {
    const got =
      typeof fault === 'object' && fault !== null
        ? JSON.stringify((fault as { type?: unknown }).type)
        : String(fault);
    throw new ConfigError(`Unknown fault type ${got}; use one of: ${FAULT_TYPES.join(', ')}.`);
  }
  const f = fault as unknown as Record<string, unknown>;
  if (
    f.endpoint !== undefined &&
    !(STREAM_ENDPOINT_NAMES as readonly unknown[]).includes(f.endpoint)
  ) {
    throw new ConfigError(
      `Fault "${fault.type}": \`endpoint\` must be a stream name (${STREAM_ENDPOINT_NAMES.join(', ')}).`,
    );
  }
  for (const key of ['at', 'afterPosts', 'count', 'messages', 'resetInMs', 'bytesPerSecond']) {
    nonNegative(f[key], key, fault.type);
  }
  if (fault.type === 'stall' || fault.type === 'slow') {
    if (typeof fault.ms !== 'number' || !(fault.ms >= 0) || !Number.isFinite(fault.ms)) {
      throw new ConfigError(
        `Fault "${fault.type}" needs \`ms\`: how long it lasts, in emulated milliseconds.`,
      );
    }
  }
  if (fault.type === 'slow' && fault.bytesPerSecond === 0) {
    throw new ConfigError(
      'Fault "slow": `bytesPerSecond` must be above 0 (use a "stall" fault to send nothing).',
    );
  }
  if (fault.type === 'split' && !SPLIT_MODES.has(fault.mode)) {
    throw new ConfigError(`Fault "split": \`mode\` must be one of ${[...SPLIT_MODES].join(', ')}.`);
  }
  if (
    fault.type === 'server-error' &&
    fault.status !== undefined &&
    !SERVER_STATUSES.has(fault.status)
  ) {
    throw new ConfigError('Fault "server-error": `status` must be 500, 502, 503 or 504.');
  }
}
