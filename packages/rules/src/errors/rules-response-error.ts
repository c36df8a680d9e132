import { isPayloadError, PayloadError, type PayloadIssue } from '@birdstream/core';

/** What {@link RulesResponseError} is built from. */
export interface RulesResponseErrorInit {
  /** `invalid-json`: the body is not JSON; `schema-mismatch`: it is JSON of an unexpected shape. */
  kind: 'invalid-json' | 'schema-mismatch';
  /** HTTP status of the response. */
  status: number;
  /** What was being done, such as `add filtered stream rules`. */
  operation: string;
  /** Whether the request could have changed the rules (a POST). */
  mutating: boolean;
  bodyText: string;
  issues?: PayloadIssue[];
  cause?: unknown;
}

/**
 * X answered a rules request with a success status but a body birdstream
 * cannot read: not JSON, or JSON of an unexpected shape (an API change). A
 * `PayloadError` (so `isPayloadError()` is true) with the HTTP `status` and
 * the `operation`. The body is in `raw` (not enumerable, never serialised).
 */
export class RulesResponseError extends PayloadError {
  override name = 'RulesResponseError';
  readonly status: number;
  readonly operation: string;

  constructor(init: RulesResponseErrorInit) {
    super(init.kind, {
      byteLength: new TextEncoder().encode(init.bodyText).byteLength,
      issues: init.issues ?? [],
      raw: init.bodyText,
      cause: init.cause,
      message: describeResponseError(init),
    });
    this.status = init.status;
    this.operation = init.operation;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), status: this.status, operation: this.operation };
  }
}

/** True for a {@link RulesResponseError} (from any copy of the package). */
export function isRulesResponseError(value: unknown): value is RulesResponseError {
  return isPayloadError(value) && value.name === 'RulesResponseError';
}

function describeResponseError(init: RulesResponseErrorInit): string {
  const first = init.issues?.[0];
  const more = init.issues && init.issues.length > 1 ? ` (+${init.issues.length - 1} more)` : '';
  const what =
    init.kind === 'invalid-json'
      ? 'a body that is not JSON'
      : `a body of an unexpected shape${first ? ` (at ${first.path.join('.') || '(root)'}: ${first.message}${more})` : ''}`;
  const effect = init.mutating
    ? ' The request may have taken effect: list the rules to see where they stand.'
    : '';
  return `X answered the request to ${init.operation} with HTTP ${init.status} and ${what}.${effect} If this persists, the API may have changed: please report it with error.raw.`;
}
