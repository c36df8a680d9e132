import { ConfigError } from '@birdstream/core';
import type { RuleInput } from './types.js';

const RULE_ID = /^[0-9]{1,19}$/;

/** Checks rules passed to `add()` / `sync()` and copies them to `{ value, tag? }`. */
export function checkRuleInputs(rules: unknown, method: string): RuleInput[] {
  if (!Array.isArray(rules)) {
    throw new ConfigError(
      `${method} takes an array of rules such as [{ value: 'cat has:images', tag: 'cats' }].`,
    );
  }
  return rules.map((rule: unknown, index) => {
    const where = `${method}: rule ${index + 1}`;
    if (!rule || typeof rule !== 'object') {
      throw new ConfigError(`${where} must be an object { value, tag? }.`);
    }
    const { value, tag } = rule as { value?: unknown; tag?: unknown };
    if (typeof value !== 'string' || value.trim() === '') {
      throw new ConfigError(`${where} needs a non-empty string value.`);
    }
    if (tag !== undefined && tag !== null && typeof tag !== 'string') {
      throw new ConfigError(`${where} has a tag that is not a string.`);
    }
    return typeof tag === 'string' ? { value, tag } : { value };
  });
}

/** Checks rule ids (strings of 1 to 19 digits: 19-digit ids do not fit in a JavaScript number). */
export function checkIds(ids: unknown, method: string): string[] {
  if (!Array.isArray(ids)) {
    throw new ConfigError(
      `${method} takes ids as an array of strings such as ['1273636687768285186'].`,
    );
  }
  return ids.map((id: unknown, index) => {
    if (typeof id !== 'string' || !RULE_ID.test(id)) {
      const shown = typeof id === 'string' ? `"${id}"` : `a ${typeof id}`;
      throw new ConfigError(
        `${method}: id ${index + 1} is ${shown}; rule ids are strings of 1 to 19 digits (pass them as strings: 19-digit numbers lose precision).`,
      );
    }
    return id;
  });
}

/** Checks rule values given to `delete({ values })`. */
export function checkValues(values: unknown, method: string): string[] {
  if (!Array.isArray(values)) {
    throw new ConfigError(`${method} takes values as an array of rule values.`);
  }
  return values.map((value: unknown, index) => {
    if (typeof value !== 'string' || value === '') {
      throw new ConfigError(
        `${method}: value ${index + 1} must be a non-empty string (the exact rule value).`,
      );
    }
    return value;
  });
}

/** Splits a list into chunks of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
