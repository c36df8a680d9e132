import { ConfigError, STREAM_ENDPOINT_NAMES } from '@birdstream/core';
import type { Fault, ScriptedFault } from './fault.js';
import { FAULT_TYPES, faultSpec } from './fault-table.js';

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
  for (const key of [
    'at',
    'atPost',
    'afterPosts',
    'count',
    'messages',
    'resetInMs',
    'bytesPerSecond',
  ]) {
    nonNegative(f[key], key, fault.type);
  }
  if (f.at !== undefined && f.atPost !== undefined) {
    throw new ConfigError(
      `Fault "${fault.type}": give \`at\` (emulated ms) or \`atPost\` (a post of the timeline), not both.`,
    );
  }
  if (f.atPost !== undefined && !Number.isInteger(f.atPost)) {
    throw new ConfigError(
      `Fault "${fault.type}": \`atPost\` must be a whole number (an item of the timeline), got ${String(f.atPost)}.`,
    );
  }
  const problem = faultSpec(fault).check?.(fault);
  if (problem) throw new ConfigError(problem);
}
