import { BirdstreamError, isBirdstreamError } from './birdstream-error.js';

/** Why a message was not delivered. */
export type PayloadErrorKind = 'invalid-json' | 'schema-mismatch' | 'oversize';

/** One schema problem: where in the message, and what. */
export interface PayloadIssue {
  path: (string | number)[];
  message: string;
}

/**
 * A zod validation's issues as {@link PayloadIssue}s: the path (symbol keys
 * as strings) and the message, never the offending `input` (which is
 * payload). Every birdstream package maps schema failures with it.
 *
 * @example
 * ```ts
 * const result = schema.safeParse(json);
 * if (!result.success) throw new PayloadError('schema-mismatch', { byteLength, issues: toPayloadIssues(result.error.issues) });
 * ```
 */
export function toPayloadIssues(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): PayloadIssue[] {
  return issues.map((issue) => ({
    path: issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key)),
    message: issue.message,
  }));
}

/** What a {@link PayloadError} is built from besides its kind. */
export interface PayloadErrorDetails {
  /** Size of the offending message in bytes. */
  byteLength: number;
  /** Schema issues (`schema-mismatch`). @default [] */
  issues?: PayloadIssue[];
  /** The offending text; kept as the non-enumerable `raw`, never serialised. */
  raw?: string;
  cause?: unknown;
  /** The byte limit that was exceeded (`oversize`), for the message. */
  limit?: number;
  /**
   * The error message, for subclasses that describe something other than a
   * stream message (such as `@birdstream/rules`' `RulesResponseError`). It
   * must not quote the payload.
   * @default a sentence describing the stream message and `kind`
   */
  message?: string;
}

/**
 * One message from the stream could not be used. It is reported as an event
 * and skipped; the stream goes on. The message text never includes the
 * payload: read `raw` (not enumerable, never serialised) to inspect it.
 */
export class PayloadError extends BirdstreamError {
  override name = 'PayloadError';
  readonly kind: PayloadErrorKind;
  /** Size of the offending message in bytes. */
  readonly byteLength: number;
  /** Schema issues for `schema-mismatch`; empty otherwise. */
  readonly issues: PayloadIssue[];
  /** The offending line (for `oversize`, `undefined`: it was never buffered). */
  declare readonly raw: string | undefined;

  constructor(kind: PayloadErrorKind, details: PayloadErrorDetails) {
    super('payload', details.message ?? PayloadError.describe(kind, details), {
      cause: details.cause,
    });
    this.kind = kind;
    this.byteLength = details.byteLength;
    this.issues = details.issues ?? [];
    Object.defineProperty(this, 'raw', {
      value: details.raw,
      enumerable: false,
      // configurable, so that a secret scrubber can rewrite it
      configurable: true,
    });
  }

  private static describe(kind: PayloadErrorKind, details: PayloadErrorDetails): string {
    switch (kind) {
      case 'invalid-json':
        return `A stream message of ${details.byteLength} bytes is not valid JSON; it was skipped.`;
      case 'oversize':
        return `A stream message exceeded the ${details.limit ?? 'configured'}-byte limit (maxMessageBytes); it was skipped and the decoder resynchronised at the next \\r\\n.`;
      case 'schema-mismatch': {
        const first = details.issues?.[0];
        const where = first ? ` at ${first.path.join('.') || '(root)'}: ${first.message}` : '';
        const more =
          details.issues && details.issues.length > 1
            ? ` (+${details.issues.length - 1} more)`
            : '';
        return `A stream message does not match the expected schema${where}${more}; it was skipped.`;
      }
    }
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), kind: this.kind, byteLength: this.byteLength, issues: this.issues };
  }
}

/** True for an {@link PayloadError} (or a subclass), from any copy of birdstream: checks the error's `code`, not `instanceof`. */
export function isPayloadError(value: unknown): value is PayloadError {
  return isBirdstreamError(value) && value.code === 'payload';
}
