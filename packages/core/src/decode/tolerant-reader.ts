import type { z } from 'zod';
import { type PayloadIssue, toPayloadIssues } from '../errors/payload-error.js';
import { defOf, type ZodDef } from './zod-def.js';

/**
 * What the tolerant reader did about one value that was not of its declared
 * type:
 * - `coerced`: read losslessly as the declared type (a count or time sent
 *   as a numeric string read as the number; an id sent as a JSON number read
 *   as its digits);
 * - `set-aside`: an optional field or an array element that could not be
 *   read was taken out of the typed message and kept, as sent, in
 *   {@link driftOf} — never dropped.
 */
export type DriftKind = 'coerced' | 'set-aside';

/** One value of one message that was not of its declared type, and what was done about it. */
export interface Drift {
  /** Where in the message (`['data', 'timestamp_ms']`, `['errors', 0]`). */
  path: (string | number)[];
  kind: DriftKind;
  /** What was wrong and what was done, in words (never quotes the value). */
  detail: string;
  /** `set-aside` only: the value as X sent it (secrets scrubbed). */
  value?: unknown;
}

/** Where a delivered message keeps its drift (not enumerable: `JSON.stringify` is unchanged). */
const DRIFT: unique symbol = Symbol.for('birdstream.drift');

/**
 * The drift of a message the tolerant reader delivered — what was coerced,
 * and every value set aside with the value as sent — or `undefined` for a
 * message that matched its schema as it came.
 *
 * @example
 * ```ts
 * for await (const like of client.likesFirehose({ partition: 1 })) {
 *   for (const d of driftOf(like) ?? []) if (d.kind === 'set-aside') keep(d.path, d.value);
 * }
 * ```
 */
export function driftOf(message: unknown): readonly Drift[] | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  return (message as { [DRIFT]?: readonly Drift[] })[DRIFT];
}

/** Attaches `drift` to `message` for {@link driftOf} (not enumerable). */
export function attachDrift(message: object, drift: readonly Drift[]): void {
  Object.defineProperty(message, DRIFT, { value: drift, enumerable: false, configurable: true });
}

/** The reader's answer for one value. */
export type ReadResult = { ok: true; value: unknown } | { ok: false; issues: PayloadIssue[] };

/**
 * Reads `value` as `schema` would, tolerantly: drift that can be reconciled
 * is (coerced, or set aside into `drift`), the rest fails with issues whose
 * paths are relative to `value`.
 */
type Reader = (value: unknown, path: (string | number)[], drift: Drift[]) => ReadResult;

const OK_UNDEFINED: ReadResult = { ok: true, value: undefined };

/** Options of {@link readTolerantly}. */
export interface TolerantReadOptions {
  /**
   * Top-level fields that are never set aside (a message's `data`: its
   * identity lives there). When one cannot be read, the whole read fails.
   * @default []
   */
  keep?: readonly string[];
}

const compiled = new WeakMap<object, Reader>();

/**
 * Reads `value` against a zod schema the way X's data is meant to be read:
 * what matches is taken as is; a count or time sent as a numeric string
 * becomes the number, an id sent as a JSON number its digits (lossless
 * only); an optional field or array element that still does not match is
 * set aside (recorded in `drift` with its value, left out of the result);
 * a required field that does not match fails the read with its issues.
 * Parts of a schema this reader does not model (transforms, refinements)
 * are decided by zod itself, so a successful read is always a value of the
 * schema's type. Never throws.
 */
export function readTolerantly(
  schema: z.ZodType,
  value: unknown,
  drift: Drift[],
  options: TolerantReadOptions = {},
): ReadResult {
  const keep = options.keep ?? [];
  if (keep.length === 0) return readerOf(schema)(value, [], drift);
  const def = defOf(schema);
  if (!isLooseObject(def)) return readerOf(schema)(value, [], drift);
  const key = keep.join('\u0000');
  let byKeep = kept.get(schema);
  if (byKeep === undefined) {
    byKeep = new Map();
    kept.set(schema, byKeep);
  }
  let reader = byKeep.get(key);
  if (reader === undefined) {
    reader = readObject(def, new Set(keep));
    byKeep.set(key, reader);
  }
  return reader(value, [], drift);
}

/** Readers of top-level objects with fields kept, per schema and `keep` list. */
const kept = new WeakMap<object, Map<string, Reader>>();

function readerOf(schema: z.ZodType): Reader {
  let reader = compiled.get(schema);
  if (reader === undefined) {
    // Recursive schemas meet themselves while compiling: they call through `self`.
    let inner: Reader | undefined;
    const self: Reader = (value, path, drift) => inner!(value, path, drift);
    compiled.set(schema, self);
    inner = compile(schema);
    reader = inner;
    compiled.set(schema, reader);
  }
  return reader;
}

function issue(path: (string | number)[], message: string): ReadResult {
  return { ok: false, issues: [{ path: [...path], message }] };
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing (the field is missing)';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/** zod decides: its output on success, its issues (made relative to the message) on failure. */
function byZod(schema: z.ZodType): Reader {
  return (value, path) => {
    const result = schema.safeParse(value);
    if (result.success) return { ok: true, value: result.data };
    const issues = toPayloadIssues(result.error.issues).map((i) => ({
      path: [...path, ...i.path],
      message: i.message,
    }));
    return { ok: false, issues };
  };
}

/** A lossless number from a numeric string: `"1790127484110"` → 1790127484110; `"007"`, `"1e3"` → none. */
function numberFrom(text: string): number | undefined {
  if (!/^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/.test(text)) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || String(n) !== text) return undefined;
  return n;
}

/** A loose object (unknown keys kept) or a plain `z.object` (unknown keys stripped), without checks. */
function isLooseObject(def: ZodDef): boolean {
  return (
    def.type === 'object' &&
    (def.checks ?? []).length === 0 &&
    (def.catchall === undefined || defOf(def.catchall).type === 'unknown')
  );
}

function compile(schema: z.ZodType): Reader {
  const def = defOf(schema);
  const checks = def.checks ?? [];
  switch (def.type) {
    case 'unknown':
    case 'any':
      return (value) => ({ ok: true, value });
    case 'string': {
      const patterns: RegExp[] = [];
      for (const check of checks) {
        const c = check._zod.def;
        if (c.check !== 'string_format' || c.format !== 'regex' || !c.pattern) return byZod(schema);
        patterns.push(c.pattern);
      }
      const matches = (text: string) =>
        patterns.every((pattern) => {
          pattern.lastIndex = 0;
          return pattern.test(text);
        });
      const zod = byZod(schema);
      return (value, path, drift) => {
        if (typeof value === 'string')
          return matches(value) ? { ok: true, value } : zod(value, path, drift);
        // An id sent as a JSON number (the lossless parser keeps long ones as strings already).
        if (
          patterns.length > 0 &&
          typeof value === 'number' &&
          Number.isSafeInteger(value) &&
          value >= 0 &&
          matches(String(value))
        ) {
          drift.push({
            path: [...path],
            kind: 'coerced',
            detail: 'an id sent as a JSON number; read as its digits',
          });
          return { ok: true, value: String(value) };
        }
        return issue(path, `Expected a string, got ${describe(value)}.`);
      };
    }
    case 'number': {
      if (checks.length > 0 || def.format !== undefined) return byZod(schema);
      return (value, path, drift) => {
        if (typeof value === 'number' && Number.isFinite(value)) return { ok: true, value };
        if (typeof value === 'string') {
          const n = numberFrom(value);
          if (n !== undefined) {
            drift.push({
              path: [...path],
              kind: 'coerced',
              detail: 'a number sent as a string; read as the number',
            });
            return { ok: true, value: n };
          }
        }
        return issue(path, `Expected a number, got ${describe(value)}.`);
      };
    }
    case 'boolean':
      if (checks.length > 0) return byZod(schema);
      return (value, path) =>
        typeof value === 'boolean'
          ? { ok: true, value }
          : issue(path, `Expected a boolean, got ${describe(value)}.`);
    case 'null':
      return (value, path) =>
        value === null
          ? { ok: true, value }
          : issue(path, `Expected null, got ${describe(value)}.`);
    case 'optional': {
      const inner = readerOf(def.innerType!);
      return (value, path, drift) =>
        value === undefined ? OK_UNDEFINED : inner(value, path, drift);
    }
    case 'default': {
      // An absent value takes the default (zod makes it); a present one is read as the inner type.
      const inner = readerOf(def.innerType!);
      const zod = byZod(schema);
      return (value, path, drift) =>
        value === undefined ? zod(value, path, drift) : inner(value, path, drift);
    }
    case 'nullable': {
      const inner = readerOf(def.innerType!);
      return (value, path, drift) =>
        value === null ? { ok: true, value } : inner(value, path, drift);
    }
    case 'array': {
      if (checks.length > 0) return byZod(schema);
      const element = readerOf(def.element!);
      return (value, path, drift) => {
        if (!Array.isArray(value)) return issue(path, `Expected an array, got ${describe(value)}.`);
        let out: unknown[] | undefined;
        for (let i = 0; i < value.length; i++) {
          path.push(i);
          const result = element(value[i], path, drift);
          if (result.ok && result.value === value[i] && out === undefined) {
            path.pop();
            continue;
          }
          out ??= value.slice(0, i);
          if (result.ok) out.push(result.value);
          else setAside(drift, path, value[i], result.issues);
          path.pop();
        }
        return { ok: true, value: out ?? value };
      };
    }
    case 'union': {
      const options = (def.options ?? []).map((option) => readerOf(option));
      return (value, path, drift) => {
        let best: { value: unknown; drift: Drift[] } | undefined;
        let failure: PayloadIssue[] | undefined;
        for (const option of options) {
          const local: Drift[] = [];
          const result = option(value, path, local);
          if (result.ok) {
            if (local.length === 0) return result;
            if (best === undefined || local.length < best.drift.length) {
              best = { value: result.value, drift: local };
            }
          } else if (failure === undefined || closer(result.issues, failure)) {
            failure = result.issues;
          }
        }
        if (best !== undefined) {
          drift.push(...best.drift);
          return { ok: true, value: best.value };
        }
        return {
          ok: false,
          issues: failure ?? [{ path: [...path], message: 'Matches no declared shape.' }],
        };
      };
    }
    case 'object':
      if (!isLooseObject(def)) return byZod(schema);
      return readObject(def, new Set());
    default:
      // literal, enum, tuple, record, pipe, transform, lazy, default, …: zod decides.
      return byZod(schema);
  }
}

/**
 * Of two options' failures, whether `a` explains the value better than `b`:
 * an option that found what it looks for (`{ user_delete: 3 }` against the
 * `user_delete` option) beats one whose key is simply missing, then fewer
 * issues win.
 */
function closer(a: PayloadIssue[], b: PayloadIssue[]): boolean {
  const found = (issues: PayloadIssue[]) => issues.some((i) => !i.message.includes('is missing'));
  if (found(a) !== found(b)) return found(a);
  return a.length < b.length;
}

/** Records a value that could not be read and is left out of the typed message. */
function setAside(
  drift: Drift[],
  path: (string | number)[],
  value: unknown,
  issues: PayloadIssue[],
): void {
  const first = issues[0];
  const where =
    first === undefined || first.path.length <= path.length
      ? ''
      : ` (at ${first.path.slice(path.length).join('.')})`;
  drift.push({
    path: [...path],
    kind: 'set-aside',
    detail: `${first?.message ?? 'Does not match its declared shape.'}${where} Set aside: see driftOf().`,
    value,
  });
}

/**
 * An object: known fields read one by one, unknown fields kept (a loose
 * object) or dropped (a plain `z.object`, as zod does); an
 * optional field that cannot be read is set aside, a required one (or one
 * in `keep`) fails the object.
 */
function readObject(def: ZodDef, keep: ReadonlySet<string>): Reader {
  const strip = def.catchall === undefined;
  let fields: [string, Reader, boolean][] | undefined;
  return (value, path, drift) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return issue(path, `Expected an object, got ${describe(value)}.`);
    }
    fields ??= Object.entries(def.shape ?? {}).map(([key, field]) => [
      key,
      readerOf(field),
      defOf(field).type === 'optional' && !keep.has(key),
    ]);
    const record = value as Record<string, unknown>;
    // A plain z.object strips the keys it does not list, as zod does.
    let out: Record<string, unknown> | undefined = strip ? {} : undefined;
    let issues: PayloadIssue[] | undefined;
    for (let i = 0; i < fields.length; i++) {
      const [key, read, optional] = fields[i]!;
      const field = record[key];
      path.push(key);
      const result = read(field, path, drift);
      if (result.ok) {
        if (strip) {
          if (result.value !== undefined || key in record) out![key] = result.value;
        } else if (result.value !== field) {
          out ??= { ...record };
          out[key] = result.value;
        }
      } else if (optional) {
        setAside(drift, path, field, result.issues);
        if (!strip) {
          out ??= { ...record };
          delete out[key];
        }
      } else {
        issues ??= [];
        issues.push(...result.issues);
      }
      path.pop();
    }
    if (issues !== undefined) return { ok: false, issues };
    return { ok: true, value: out ?? value };
  };
}
