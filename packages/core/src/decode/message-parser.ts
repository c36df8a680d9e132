import type { z } from 'zod';
import { PayloadError, type PayloadIssue, toPayloadIssues } from '../errors/payload-error.js';
import { StreamResponse } from '../schemas/stream-response.js';
import { parseJsonLossless } from './lossless-json.js';

/**
 * What one stream line turned out to be.
 *
 * - `response`: a message with `data` and/or `errors`.
 * - `invalid`: not JSON (`kind: 'invalid-json'`), or not a message of the
 *   expected shape (`kind: 'schema-mismatch'`). Report it and go on.
 * - `unknown`: a JSON object with neither `data` nor `errors` (a message type
 *   X added). Skip it.
 */
export type ParsedMessage<T = StreamResponse> =
  | { type: 'response'; response: T }
  | { type: 'invalid'; error: PayloadError }
  | { type: 'unknown'; value: unknown };

/** Options of {@link createMessageParser}. */
export interface MessageParserOptions<T = StreamResponse> {
  /**
   * `'strict'` checks every message against the zod schemas (and applies their
   * normalisations, e.g. `edits_remaining: "4"` → `4`); `'off'` only parses
   * JSON (ids still exact) and checks that `data` is an object and `errors` an
   * array, for maximum throughput. Any other value counts as `'strict'`. (The
   * stream client's `validate` option defaults to `'strict'`.)
   */
  validate: 'strict' | 'off';
  /**
   * The schema a message must match in `'strict'` mode.
   * @default StreamResponse (which also fits sample-stream messages)
   */
  schema?: z.ZodType<T>;
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
    const result = schema.safeParse(value);
    if (result.success) return { type: 'response', response: result.data };
    return mismatch(frame, toPayloadIssues(result.error.issues));
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
