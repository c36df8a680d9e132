import type { z } from 'zod';
import { defOf } from './zod-def.js';

/**
 * Answers "does `value` match the schema, and would zod return it
 * unchanged?" without zod's machinery: `true` is a guarantee, `false` means
 * "ask zod" (a mismatch, a value zod would normalise such as
 * `edits_remaining: "4"`, or a part of the schema this compiler does not
 * know). See decisions/0004, "Cheaper validation".
 */
export type ConformanceCheck = (value: unknown) => boolean;

const NEVER: ConformanceCheck = () => false;
const compiled = new WeakMap<object, ConformanceCheck>();
const compiledWithoutGeneration = new WeakMap<object, ConformanceCheck>();

/**
 * For the simplest checks, the same test as a JavaScript expression over a
 * variable (`typeof x === "string"`), so a generated object check inlines it
 * instead of calling a function per field; `calls` collects the functions an
 * expression still calls (`c[3](x)`).
 */
type Inline = (variable: string, calls: ConformanceCheck[]) => string;
const INLINE = new WeakMap<ConformanceCheck, Inline>();

function inlinable(check: ConformanceCheck, inline: Inline): ConformanceCheck {
  INLINE.set(check, inline);
  return check;
}

/** `check` applied to `variable`, as an expression. */
function expression(check: ConformanceCheck, variable: string, calls: ConformanceCheck[]): string {
  const inline = INLINE.get(check);
  if (inline !== undefined) return `(${inline(variable, calls)})`;
  calls.push(check);
  return `c[${calls.length - 1}](${variable})`;
}

/** Whether this runtime may compile code (`new Function`); not under a strict CSP or in some workers. */
let canGenerate: boolean | undefined;
function generationAllowed(): boolean {
  if (canGenerate === undefined) {
    try {
      canGenerate = new Function('return true')() === true;
    } catch {
      canGenerate = false;
    }
  }
  return canGenerate;
}

/**
 * A loose object's check as one generated function: every field is read
 * with a constant key (`v["id"]`), which V8 turns into a fast, monomorphic
 * property load, and the simple field checks are inlined. About twice as
 * fast as walking the fields in a loop; `undefined` where code generation
 * is not allowed (the caller keeps the loop).
 */
function generateObjectCheck(fields: [string, ConformanceCheck][]): ConformanceCheck | undefined {
  if (!generationAllowed()) return undefined;
  const calls: ConformanceCheck[] = [];
  const lines = [
    'if (typeof v !== "object" || v === null || Array.isArray(v)) return false;',
    'let x;',
  ];
  for (const [key, check] of fields) {
    const test = expression(check, 'x', calls);
    if (test === '(true)') continue;
    lines.push(`x = v[${JSON.stringify(key)}];`, `if (!${test}) return false;`);
  }
  lines.push('return true;');
  try {
    return new Function('c', `return function conforms(v) {\n${lines.join('\n')}\n};`)(
      calls,
    ) as ConformanceCheck;
  } catch {
    return undefined;
  }
}

/** Options of {@link compileConformance}. */
export interface ConformanceOptions {
  /**
   * Generate one function per object schema where the runtime allows it
   * (faster); `false` keeps the field loop, as on runtimes that forbid code
   * generation. Tests run both.
   * @default true
   */
  generate?: boolean;
}

/** Compiles the check for `schema` once (cached per schema object). */
export function compileConformance(
  schema: z.ZodType,
  options: ConformanceOptions = {},
): ConformanceCheck {
  const generate = options.generate !== false;
  const cache = generate ? compiled : compiledWithoutGeneration;
  let check = cache.get(schema);
  if (check === undefined) {
    check = compile(schema, new Map(), generate);
    cache.set(schema, check);
  }
  return check;
}

function compile(
  schema: z.ZodType,
  seen: Map<z.ZodType, ConformanceCheck>,
  generate: boolean,
): ConformanceCheck {
  const known = seen.get(schema);
  if (known) return known;
  const def = defOf(schema);
  // Only bare types: a refinement, transform or check this compiler does not know goes to zod.
  const checks = def.checks ?? [];
  switch (def.type) {
    case 'unknown':
    case 'any':
      return inlinable(
        () => true,
        () => 'true',
      );
    case 'string': {
      const patterns: RegExp[] = [];
      for (const check of checks) {
        const c = check._zod.def;
        if (c.check !== 'string_format' || c.format !== 'regex' || !c.pattern) return NEVER;
        patterns.push(c.pattern);
      }
      if (patterns.length === 0) {
        return inlinable(
          (value) => typeof value === 'string',
          (x) => `typeof ${x} === "string"`,
        );
      }
      return (value) => {
        if (typeof value !== 'string') return false;
        for (const pattern of patterns) {
          pattern.lastIndex = 0;
          if (!pattern.test(value)) return false;
        }
        return true;
      };
    }
    case 'number':
      if (checks.length > 0) return NEVER;
      return inlinable(
        (value) => typeof value === 'number' && Number.isFinite(value),
        (x) => `typeof ${x} === "number" && Number.isFinite(${x})`,
      );
    case 'boolean':
      if (checks.length > 0) return NEVER;
      return inlinable(
        (value) => typeof value === 'boolean',
        (x) => `typeof ${x} === "boolean"`,
      );
    case 'null':
      return inlinable(
        (value) => value === null,
        (x) => `${x} === null`,
      );
    case 'literal': {
      const values = def.values ?? [];
      return (value) => values.includes(value);
    }
    case 'enum': {
      const values = new Set(Object.values(def.entries ?? {}));
      return (value) => values.has(value);
    }
    case 'optional': {
      const inner = compile(def.innerType!, seen, generate);
      return inlinable(
        (value) => value === undefined || inner(value),
        (x, calls) => `${x} === undefined || ${expression(inner, x, calls)}`,
      );
    }
    case 'nullable': {
      const inner = compile(def.innerType!, seen, generate);
      return (value) => value === null || inner(value);
    }
    case 'array': {
      if (checks.length > 0) return NEVER;
      const element = compile(def.element!, seen, generate);
      return (value) => {
        if (!Array.isArray(value)) return false;
        for (let i = 0; i < value.length; i++) if (!element(value[i])) return false;
        return true;
      };
    }
    case 'tuple': {
      const items = (def.items ?? []).map((item) => compile(item, seen, generate));
      const rest = def.rest ? compile(def.rest, seen, generate) : undefined;
      return (value) => {
        if (!Array.isArray(value) || value.length < items.length) return false;
        if (!rest && value.length !== items.length) return false;
        for (let i = 0; i < items.length; i++) if (!items[i]!(value[i])) return false;
        for (let i = items.length; i < value.length; i++) if (!rest!(value[i])) return false;
        return true;
      };
    }
    case 'record': {
      const key = def.keyType ? defOf(def.keyType) : undefined;
      if (key?.type !== 'string' || (key.checks ?? []).length > 0 || !def.valueType) return NEVER;
      const entry = compile(def.valueType, seen, generate);
      return (value) => {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
        for (const item of Object.values(value)) if (!entry(item)) return false;
        return true;
      };
    }
    case 'union': {
      // zod takes the first option that accepts: an option this compiler cannot
      // decide stops the search (zod might pick it and transform the value).
      const options = (def.options ?? []).map((option) => compile(option, seen, generate));
      return (value) => {
        for (const option of options) {
          if (option === NEVER) return false;
          if (option(value)) return true;
        }
        return false;
      };
    }
    case 'object': {
      // Only loose objects (unknown keys kept): a stripping object would change the value.
      if (checks.length > 0 || !def.catchall || defOf(def.catchall).type !== 'unknown')
        return NEVER;
      const fields: [string, ConformanceCheck][] = [];
      const loop: ConformanceCheck = (value) => {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
        const record = value as Record<string, unknown>;
        for (let i = 0; i < fields.length; i++) {
          const [key, check] = fields[i]!;
          if (!check(record[key])) return false;
        }
        return true;
      };
      // A recursive schema meets itself while its fields compile: it calls through `self`.
      let check = loop;
      const self: ConformanceCheck = (value) => check(value);
      seen.set(schema, self);
      for (const [key, field] of Object.entries(def.shape ?? {}))
        fields.push([key, compile(field, seen, generate)]);
      check = (generate ? generateObjectCheck(fields) : undefined) ?? loop;
      seen.set(schema, check);
      return check;
    }
    default:
      // pipe, transform, lazy, default, catch, refinements on other types, …
      return NEVER;
  }
}
