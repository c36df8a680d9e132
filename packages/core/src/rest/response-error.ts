import { isPayloadError, PayloadError, type PayloadIssue } from '../errors/payload-error.js';

/** What {@link ResponseError} is built from. */
export interface ResponseErrorInit {
  /** `invalid-json`: the body is not JSON; `schema-mismatch`: it is JSON of an unexpected shape. */
  kind: 'invalid-json' | 'schema-mismatch';
  /** HTTP status of the response. */
  status: number;
  /** What was being done, such as `list the stream connections`. */
  operation: string;
  /**
   * What the caller should know when the request may have changed state (a
   * POST or DELETE that succeeded but answered unreadably), such as
   * `list the rules to see where they stand`.
   */
  effectHint?: string | undefined;
  bodyText: string;
  issues?: PayloadIssue[];
  cause?: unknown;
}

/**
 * X answered a REST request with a success status but a body birdstream
 * cannot read: not JSON, or JSON of an unexpected shape (an API change). A
 * `PayloadError` (so `isPayloadError()` is true) with the HTTP `status` and
 * the `operation`. The body is in `raw` (not enumerable, never serialised).
 */
export class ResponseError extends PayloadError {
  override name = 'ResponseError';
  readonly status: number;
  readonly operation: string;

  constructor(init: ResponseErrorInit) {
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

/** True for a {@link ResponseError} or a subclass (from any copy of the package). */
export function isResponseError(value: unknown): value is ResponseError {
  return (
    isPayloadError(value) &&
    typeof (value as { status?: unknown }).status === 'number' &&
    typeof (value as { operation?: unknown }).operation === 'string'
  );
}

function describeResponseError(init: ResponseErrorInit): string {
  const first = init.issues?.[0];
  const more = init.issues && init.issues.length > 1 ? ` (+${init.issues.length - 1} more)` : '';
  const what =
    init.kind === 'invalid-json'
      ? 'a body that is not JSON'
      : `a body of an unexpected shape${first ? ` (at ${first.path.join('.') || '(root)'}: ${first.message}${more})` : ''}`;
  const effect = init.effectHint ? ` The request may have taken effect: ${init.effectHint}.` : '';
  return `X answered the request to ${init.operation} with HTTP ${init.status} and ${what}.${effect} If this persists, the API may have changed: please report it with error.raw.`;
}
