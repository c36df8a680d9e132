/**
 * X's error bodies, with the keys in the order X sends them, so the emulator
 * answers byte for byte like the recordings in `packages/test-utils/fixtures`
 * (see decisions/0007-emulator.md for the few shapes nobody has recorded).
 */

const PROBLEMS = 'https://api.twitter.com/2/problems/';

/** A JSON body (problem or payload). */
export type JsonBody = Record<string, unknown>;

/** 401, `fixtures/errors/rules_get_401_unauthorized.json`. */
export function unauthorizedProblem(): JsonBody {
  return { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' };
}

/** 403 for OAuth 1.0a user context, `fixtures/errors/unsupported_authentication_403_user_context_forbidden.json`. */
export function unsupportedAuthenticationProblem(): JsonBody {
  return {
    title: 'Unsupported Authentication',
    detail:
      'Authenticating with OAuth 1.0a User Context is forbidden for this endpoint.  Supported authentication types are [OAuth 2.0 Application-Only].',
    type: `${PROBLEMS}unsupported-authentication`,
    status: 403,
  };
}

/** 409 on connect with no rules, `fixtures/errors/stream_connect_409_rule_configuration_issue_no_rules.json`. */
export function noRulesProblem(): JsonBody {
  return {
    title: 'ConnectionException',
    detail:
      'You must define rules using the POST /2/tweets/search/stream/rules endpoint before connecting to filtered stream.',
    connection_issue: 'RuleConfigurationIssue',
    type: `${PROBLEMS}streaming-connection`,
  };
}

/** 429 for a second connection, `fixtures/errors/stream_connect_429_too_many_connections_2022.json`. */
export function tooManyConnectionsProblem(): JsonBody {
  return {
    title: 'ConnectionException',
    detail: 'This stream is currently at the maximum allowed connection limit.',
    connection_issue: 'TooManyConnections',
    type: `${PROBLEMS}streaming-connection`,
  };
}

/** 429 rate limit, `fixtures/errors/rest_429_too_many_requests_json_2021.json`. */
export function tooManyRequestsProblem(): JsonBody {
  return {
    title: 'Too Many Requests',
    type: 'about:blank',
    status: 429,
    detail: 'Too Many Requests',
  };
}

/** 429 usage cap, `fixtures/errors/usage_capped_429_monthly_product_cap_2026.json`. */
export function usageCappedProblem(accountId: number): JsonBody {
  return {
    account_id: accountId,
    product_name: 'standard-basic',
    title: 'UsageCapExceeded',
    period: 'Monthly',
    scope: 'Product',
    detail: 'Usage cap exceeded: Monthly product cap',
    type: `${PROBLEMS}usage-capped`,
  };
}

/** The in-band operational disconnect, `fixtures/stream/twarc-csv/msg_04_operational_disconnect_error.json` without twarc's `__twarc` key. */
export function operationalDisconnectMessage(): JsonBody {
  return {
    errors: [
      {
        title: 'operational-disconnect',
        disconnect_type: 'OperationalDisconnect',
        detail: 'This stream has been disconnected for operational reasons.',
        type: `${PROBLEMS}operational-disconnect`,
      },
    ],
  };
}

/**
 * The in-band message before a slow reader is dropped. Not recorded anywhere:
 * X's `disconnect_type` enum has `SlowReader` and its docs name the reason
 * "Client too slow" (spec §4.3, §10); the rest follows the recorded
 * operational disconnect (decisions/0007-emulator.md).
 */
export function slowReaderMessage(): JsonBody {
  return {
    errors: [
      {
        title: 'operational-disconnect',
        disconnect_type: 'SlowReader',
        detail:
          'This stream has been disconnected because your client was too slow (Client too slow).',
        type: `${PROBLEMS}operational-disconnect`,
      },
    ],
  };
}

/** One entry of an invalid-request problem's `errors`. */
export interface InvalidParameter {
  parameters: Record<string, string[]>;
  message: string;
}

/** 400, `fixtures/rules/add_400_invalid_request_missing_value.json` and friends. */
export function invalidRequestProblem(errors: InvalidParameter[]): JsonBody {
  return {
    errors,
    title: 'Invalid Request',
    detail: 'One or more parameters to your request was invalid.',
    type: `${PROBLEMS}invalid-request`,
  };
}

/** A per-rule duplicate, `fixtures/rules/add_partial_duplicate_rule_newrelic_readme.json`. */
export function duplicateRuleProblem(value: string, existingId: string): JsonBody {
  return { value, id: existingId, title: 'DuplicateRule', type: `${PROBLEMS}duplicate-rules` };
}

/** A per-rule syntax problem, `fixtures/rules/add_200_invalid_rule_unprocessable_entity.json`. */
export function invalidRuleProblem(value: string, details: string[]): JsonBody {
  return { value, details, title: 'UnprocessableEntity', type: `${PROBLEMS}invalid-rules` };
}

/** Over the rule cap (no recording exists; shape from OAS `RulesCapProblem`). */
export function ruleCapProblem(value: string, cap: number): JsonBody {
  return {
    value,
    title: 'RulesCapExceeded',
    detail: `Rule cap exceeded: you may have at most ${cap} rules.`,
    type: `${PROBLEMS}rule-cap`,
  };
}

/** Deleting a rule that does not exist (no verbatim recording; see decisions/0007-emulator.md). */
export function ruleNotFoundProblem(missing: string[]): JsonBody {
  return invalidRequestProblem(
    missing.map(() => ({ parameters: {}, message: 'Rule does not exist' })),
  );
}

/** A 5xx page as a proxy in front of X serves it (HTML, not JSON). */
export function serverErrorHtml(status: number): string {
  const text: Record<number, string> = {
    500: 'Internal Server Error',
    502: 'Bad Gateway',
    503: 'Service Unavailable',
    504: 'Gateway Timeout',
  };
  const title = `${status} ${text[status] ?? 'Server Error'}`;
  return `<!DOCTYPE html>\n<html><head><title>${title}</title></head><body><h1>${title}</h1><p>Something is technically wrong.</p></body></html>\n`;
}
