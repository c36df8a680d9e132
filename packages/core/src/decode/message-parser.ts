import type { z } from 'zod';
import { PayloadError, type PayloadIssue, toPayloadIssues } from '../errors/payload-error.js';
import { StreamResponse } from '../schemas/stream-response.js';
import { compileConformance } from './fast-conformance.js';
import { parseJsonLossless } from './lossless-json.js';
import { attachDrift, type Drift, readTolerantly } from './tolerant-reader.js';
import {
  type UnrecognizedMessage,
  type UnrecognizedReason,
  unrecognized,
} from './unrecognized-message.js';

/**
 * What one stream line turned out to be.
 *
 * - `response`: a message with `data` and/or `errors`, of the schema's type.
 *   With `validate: 'tolerant'`, `drift` lists what was coerced or set aside
 *   to make it so (also on the response: `driftOf(response)`).
 * - `invalid`: not JSON (`kind: 'invalid-json'`), or (`'strict'`, `'off'`)
 *   not a message of the expected shape (`kind: 'schema-mismatch'`). Report
 *   it and go on.
 * - `unrecognized` (`'tolerant'` only): a JSON object that cannot be
 *   delivered as the schema's type — no `data` or `errors`, an identity that
 *   cannot be read, or a required field that does not match — with the
 *   message as sent and the issues. Hand it to whoever reads such messages.
 * - `unknown` (`'strict'`, `'off'`): a JSON object with neither `data` nor
 *   `errors` (a message type X added). Skipped.
 */
export type ParsedMessage<T = StreamResponse> =
  | { type: 'response'; response: T; drift?: Drift[] }
  | { type: 'invalid'; error: PayloadError }
  | { type: 'unrecognized'; unrecognized: UnrecognizedMessage }
  | { type: 'unknown'; value: unknown };

/**
 * How messages are checked:
 * - `'tolerant'` (the streams' default): every message whose identity is
 *   intact is delivered, typed; drift that can be reconciled is (coerced
 *   losslessly, or set aside and kept in `driftOf()`), the rest comes back
 *   `unrecognized` with the message as sent. Same cost as `'strict'` for
 *   messages that match.
 * - `'strict'`: a message must match the schema as sent (declared
 *   normalisations such as `edits_remaining: "4"` apart), else `invalid`.
 * - `'off'`: JSON only (ids exact); `data` must be an object and `errors`
 *   an array.
 */
export type ValidationMode = 'tolerant' | 'strict' | 'off';

/** Options of {@link createMessageParser}. */
export interface MessageParserOptions<T = StreamResponse> {
  /**
   * `'tolerant'` delivers every message whose identity is intact, typed,
   * reporting drift; `'strict'` checks every message against the zod schemas
   * (and applies their normalisations, e.g. `edits_remaining: "4"` → `4`);
   * `'off'` only parses JSON (ids still exact) and checks that `data` is an
   * object and `errors` an array, for maximum throughput. Any other value
   * counts as `'strict'`. (The stream client's `validate` option defaults to
   * `'tolerant'`.) See {@link ValidationMode}.
   */
  validate: ValidationMode;
  /**
   * The schema a message must match (`'strict'`, `'tolerant'`).
   * @default StreamResponse (which also fits sample-stream messages)
   */
  schema?: z.ZodType<T>;
  /**
   * `'tolerant'`: the identity of a message (the endpoint row's `dedupeKey`);
   * a message with `data` whose identity cannot be read is `unrecognized`.
   * @default none (the schema's required fields are the identity)
   */
  identity?: (message: unknown) => string | undefined;
}

/**
 * Builds the function that turns one stream line into a {@link ParsedMessage}.
 * It never throws: bad lines come back as `invalid` with a {@link PayloadError}
 * whose message and JSON never contain the payload (it is in the error's
 * non-enumerable `raw`).
 *
 * Ids are exact: integers of 16+ digits sent as JSON numbers arrive as strings.
 *
 * @example
 * ```ts
 * const decoder = new LineDecoder();
 * const parse = createMessageParser({ validate: 'strict' });
 * for (const frame of decoder.push(chunk)) {
 *   if (frame.type !== 'message') continue;
 *   const parsed = parse(frame);
 *   if (parsed.type === 'response') console.log(parsed.response.data?.text);
 * }
 * ```
 */
export function createMessageParser<T = StreamResponse>(
  options: MessageParserOptions<T>,
): (frame: { text: string; byteLength: number }) => ParsedMessage<T> {
  const schema = (options.schema ?? StreamResponse) as z.ZodType<T>;
  const strict = options.validate !== 'off';
  const tolerant = options.validate === 'tolerant';
  const identity = options.identity;
  // Compiled once per schema: most messages conform and need no normalising,
  // so a plain check confirms them; zod decides (and reports) everything else.
  const conforms = strict ? compileConformance(schema) : undefined;
  return (frame) => {
    let value: unknown;
    try {
      value = parseJsonLossless(frame.text);
    } catch (cause) {
      return {
        type: 'invalid',
        error: new PayloadError('invalid-json', {
          byteLength: frame.byteLength,
          raw: frame.text,
          cause: scrubSyntaxError(cause),
        }),
      };
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return mismatch(frame, [
        { path: [], message: `Expected a JSON object, got ${describe(value)}.` },
      ]);
    }
    const message = value as { data?: unknown; errors?: unknown };
    if (message.data === undefined && message.errors === undefined) {
      if (tolerant) {
        return unrecognizedOf(frame, value, 'unknown-type', [
          { path: [], message: 'A message with neither `data` nor `errors`.' },
        ]);
      }
      return { type: 'unknown', value };
    }
    if (!strict) {
      if (!isShapeOk(message)) {
        return mismatch(frame, [
          {
            path: [],
            message: 'Expected `data` to be an object and `errors` an array.',
          },
        ]);
      }
      return { type: 'response', response: value as T };
    }
    if (conforms?.(value)) return { type: 'response', response: value as T };
    if (tolerant) return readDrifted(frame, value as Record<string, unknown>);
    const result = schema.safeParse(value);
    if (result.success) return { type: 'response', response: result.data };
    return mismatch(frame, toPayloadIssues(result.error.issues));
  };

  /**
   * Whether the message's identity can be read, an id sent as a JSON number
   * counting as its digits (as the reader would take it).
   */
  function identifiable(value: Record<string, unknown>): boolean {
    if (identity!(value) !== undefined) return true;
    const data = value.data;
    if (typeof data !== 'object' || data === null || Array.isArray(data)) return false;
    const digits: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(data)) {
      digits[key] = Number.isSafeInteger(field) && (field as number) >= 0 ? String(field) : field;
    }
    return identity!({ ...value, data: digits }) !== undefined;
  }

  /** `'tolerant'`, a message the quick check did not confirm: read it, drift and all. */
  function readDrifted(
    frame: { text: string; byteLength: number },
    value: Record<string, unknown>,
  ): ParsedMessage<T> {
    const drift: Drift[] = [];
    const read = readTolerantly(schema, value, drift, { keep: ['data'] });
    if (!read.ok) {
      const missing = value.data !== undefined && identity !== undefined && !identifiable(value);
      return unrecognizedOf(
        frame,
        value,
        missing ? 'identity-missing' : 'irreconcilable',
        read.issues,
      );
    }
    const response = read.value as { data?: unknown; errors?: unknown[] };
    if (response.data !== undefined && identity !== undefined && identity(response) === undefined) {
      return unrecognizedOf(frame, value, 'identity-missing', [
        {
          path: ['data'],
          message: 'The identity of this message (its dedupe key) cannot be read.',
        },
      ]);
    }
    if (response.data === undefined && (response.errors?.length ?? 0) === 0) {
      // An error-only message whose every problem was set aside: nothing typed is left.
      return unrecognizedOf(
        frame,
        value,
        'irreconcilable',
        drift.map((d) => ({ path: d.path, message: d.detail })),
      );
    }
    if (drift.length === 0) return { type: 'response', response: response as T };
    attachDrift(response, drift);
    return { type: 'response', response: response as T, drift };
  }
}

function unrecognizedOf(
  frame: { byteLength: number },
  value: unknown,
  reason: UnrecognizedReason,
  issues: PayloadIssue[],
): { type: 'unrecognized'; unrecognized: UnrecognizedMessage } {
  return {
    type: 'unrecognized',
    unrecognized: unrecognized(reason, value as Record<string, unknown>, issues, frame.byteLength),
  };
}

function isShapeOk(message: { data?: unknown; errors?: unknown }): boolean {
  const { data, errors } = message;
  if (data !== undefined && (typeof data !== 'object' || data === null || Array.isArray(data))) {
    return false;
  }
  return errors === undefined || Array.isArray(errors);
}

function mismatch(frame: { text: string; byteLength: number }, issues: PayloadIssue[]) {
  return {
    type: 'invalid' as const,
    error: new PayloadError('schema-mismatch', {
      byteLength: frame.byteLength,
      issues,
      raw: frame.text,
    }),
  };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/**
 * V8's `SyntaxError` message quotes the start of the text (`Unexpected token
 * … in JSON at position 12` / `"{abc"... is not valid JSON`). Keep only the
 * position, so no payload leaks through `cause`.
 */
function scrubSyntaxError(cause: unknown): SyntaxError {
  const message = cause instanceof Error ? cause.message : '';
  const position = /position (\d+)/.exec(message)?.[1];
  return new SyntaxError(
    position === undefined
      ? 'The text is not valid JSON.'
      : `The text is not valid JSON (error at position ${position}).`,
  );
}
