import type { z } from 'zod';

/**
 * Answers "does `value` match the schema, and would zod return it
 * unchanged?" without zod's machinery: `true` is a guarantee, `false` means
 * "ask zod" (a mismatch, a value zod would normalise such as
 * `edits_remaining: "4"`, or a part of the schema this compiler does not
 * know). See decisions/0004, "Cheaper validation".
 */
export type ConformanceCheck = (value: unknown) => boolean;

type Def = {
  type: string;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  innerType?: z.ZodType;
  element?: z.ZodType;
  items?: z.ZodType[];
  rest?: z.ZodType | null;
  options?: z.ZodType[];
  values?: unknown[];
  entries?: Record<string, unknown>;
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  checks?: { _zod: { def: { check: string; format?: string; pattern?: RegExp } } }[];
};

const NEVER: ConformanceCheck = () => false;
const compiled = new WeakMap<object, ConformanceCheck>();

/** Compiles the check for `schema` once (cached per schema object). */
export function compileConformance(schema: z.ZodType): ConformanceCheck {
  let check = compiled.get(schema);
  if (check === undefined) {
    check = compile(schema, new Map());
    compiled.set(schema, check);
  }
  return check;
}

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

function compile(schema: z.ZodType, seen: Map<z.ZodType, ConformanceCheck>): ConformanceCheck {
  const known = seen.get(schema);
  if (known) return known;
  const def = defOf(schema);
  // Only bare types: a refinement, transform or check this compiler does not know goes to zod.
  const checks = def.checks ?? [];
  switch (def.type) {
    case 'unknown':
    case 'any':
      return () => true;
    case 'string': {
      const patterns: RegExp[] = [];
      for (const check of checks) {
        const c = check._zod.def;
        if (c.check !== 'string_format' || c.format !== 'regex' || !c.pattern) return NEVER;
        patterns.push(c.pattern);
      }
      if (patterns.length === 0) return (value) => typeof value === 'string';
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
      return (value) => typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return checks.length > 0 ? NEVER : (value) => typeof value === 'boolean';
    case 'null':
      return (value) => value === null;
    case 'literal': {
      const values = def.values ?? [];
      return (value) => values.includes(value);
    }
    case 'enum': {
      const values = new Set(Object.values(def.entries ?? {}));
      return (value) => values.has(value);
    }
    case 'optional': {
      const inner = compile(def.innerType!, seen);
      return (value) => value === undefined || inner(value);
    }
    case 'nullable': {
      const inner = compile(def.innerType!, seen);
      return (value) => value === null || inner(value);
    }
    case 'array': {
      if (checks.length > 0) return NEVER;
      const element = compile(def.element!, seen);
      return (value) => {
        if (!Array.isArray(value)) return false;
        for (let i = 0; i < value.length; i++) if (!element(value[i])) return false;
        return true;
      };
    }
    case 'tuple': {
      const items = (def.items ?? []).map((item) => compile(item, seen));
      const rest = def.rest ? compile(def.rest, seen) : undefined;
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
      const entry = compile(def.valueType, seen);
      return (value) => {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
        for (const item of Object.values(value)) if (!entry(item)) return false;
        return true;
      };
    }
    case 'union': {
      // zod takes the first option that accepts: an option this compiler cannot
      // decide stops the search (zod might pick it and transform the value).
      const options = (def.options ?? []).map((option) => compile(option, seen));
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
      const self: ConformanceCheck = (value) => {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
        const record = value as Record<string, unknown>;
        for (let i = 0; i < fields.length; i++) {
          const [key, check] = fields[i]!;
          if (!check(record[key])) return false;
        }
        return true;
      };
      seen.set(schema, self);
      for (const [key, field] of Object.entries(def.shape ?? {}))
        fields.push([key, compile(field, seen)]);
      return self;
    }
    default:
      // pipe, transform, lazy, default, catch, refinements on other types, …
      return NEVER;
  }
}
