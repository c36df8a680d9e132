import { parseRateLimit, type RateLimitInfo } from '../http/rate-limit.js';
import { safeHeaders } from '../http/safe-headers.js';
import type { SecretScrubber } from '../secrets/secret-scrubber.js';
import { BirdstreamError, isBirdstreamError } from './birdstream-error.js';
import { describeNonJsonBody, reasonPhrase } from './non-json-body.js';
import { type ProblemDetails, problemName } from './problem.js';

/** What `ApiError.from` needs: the failed response, already read. */
export interface ApiErrorInit {
  status: number;
  headers: Headers | Record<string, string>;
  /** The response body as text (JSON problem or plain text). */
  bodyText: string;
  problem?: ProblemDetails | undefined;
  /** What was being done, for the message (for example `connect to the filtered stream`). */
  operation?: string;
  /**
   * Knows the secrets (the bearer token) a server or proxy might echo back:
   * `createApiError` scrubs every text of the error with it.
   */
  scrubber?: SecretScrubber | undefined;
}

/**
 * The X API answered with an HTTP error. Carries the status, the parsed problem
 * (`type`, `title`, `detail`, and fields such as `connection_issue`), the
 * rate-limit headers and the response headers (credentials removed).
 */
export class ApiError extends BirdstreamError {
  override name: string = 'ApiError';
  readonly status: number;
  /** The parsed problem body, when the body was JSON. */
  readonly problem: ProblemDetails | undefined;
  /** The problem's name from its type URI, such as `streaming-connection` or `usage-capped`. */
  readonly problemType: string | undefined;
  readonly title: string | undefined;
  readonly detail: string | undefined;
  /** `connection_issue` of a ConnectionException problem (`TooManyConnections`, `RuleConfigurationIssue`, …). */
  readonly connectionIssue: string | undefined;
  readonly rateLimit: RateLimitInfo | undefined;
  readonly headers: Record<string, string>;
  /**
   * The body text, at most 64 KiB (`MAX_ERROR_BODY_BYTES`). Errors built by
   * birdstream's clients are scrubbed of the bearer token, should a proxy
   * echo it.
   */
  readonly bodyText: string;

  constructor(init: ApiErrorInit, message?: string) {
    const headers = safeHeaders(init.headers);
    const problem = init.problem;
    const title = typeof problem?.title === 'string' ? problem.title : undefined;
    const detail = typeof problem?.detail === 'string' ? problem.detail : undefined;
    const connectionIssue =
      typeof problem?.connection_issue === 'string' ? problem.connection_issue : undefined;
    const contentType = headers['content-type'];
    super(
      'api',
      message ??
        ApiError.describe(init.status, problem, init.bodyText, init.operation, contentType),
    );
    this.status = init.status;
    this.problem = problem;
    this.problemType = problemName(problem?.type);
    this.title = title;
    this.detail = detail;
    this.connectionIssue = connectionIssue;
    this.rateLimit = parseRateLimit(headers);
    this.headers = headers;
    this.bodyText = init.bodyText;
  }

  /**
   * One line: `X API 409 ConnectionException (RuleConfigurationIssue): You
   * must define rules …` for a JSON problem; for any other body the status,
   * its reason phrase and at most a page's `<title>` or the start of a plain
   * text (`X API 502 Bad Gateway: "502 Bad Gateway"`), never markup.
   */
  static describe(
    status: number,
    problem: ProblemDetails | undefined,
    bodyText: string,
    operation?: string,
    contentType?: string,
  ): string {
    const where = operation ? ` while trying to ${operation}` : '';
    if (problem) {
      const title = typeof problem.title === 'string' ? problem.title : 'error';
      const issue =
        typeof problem.connection_issue === 'string' ? ` (${problem.connection_issue})` : '';
      const detail = typeof problem.detail === 'string' ? `: ${problem.detail}` : '';
      return `X API ${status} ${title}${issue}${where}${detail}`;
    }
    const reason = reasonPhrase(status);
    const shown = describeNonJsonBody(bodyText, contentType);
    return `X API ${status}${reason ? ` ${reason}` : ''}${where}${shown ? `: ${shown}` : ''}`;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      status: this.status,
      problemType: this.problemType,
      title: this.title,
      detail: this.detail,
      connectionIssue: this.connectionIssue,
      rateLimit: this.rateLimit,
    };
  }
}

/** True for an {@link ApiError} (or a subclass), from any copy of birdstream: checks the error's `code`, not `instanceof`. */
export function isApiError(value: unknown): value is ApiError {
  return isBirdstreamError(value) && value.code === 'api';
}
