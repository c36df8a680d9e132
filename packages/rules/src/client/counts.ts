import { RulesResponseError } from '../errors/rules-response-error.js';
import type { Transport } from '../http/transport.js';
import { type RulesCount, RulesCountResponse } from '../schemas/responses.js';
import { RULE_COUNTS_PATH } from './endpoints.js';
import { type RuleError, toRuleError } from './rule-errors.js';
import type { CountsOptions, RulesCountField } from './types.js';

const ALL_FIELDS: readonly RulesCountField[] = [
  'all_project_client_apps',
  'cap_per_client_app',
  'cap_per_project',
  'client_app_rules_count',
  'project_rules_count',
];

/** What {@link RulesClient.counts} returns: X's `data`, plus any `errors`. */
export type RulesCountResult = RulesCount & {
  /** Problems X reported alongside the counts; absent when there were none. */
  errors?: RuleError[];
};

const OPERATION = 'read the filtered stream rule counts';

/** `GET rules/counts?rules_count.fields=…`. */
export async function ruleCounts(
  transport: Transport,
  options: CountsOptions = {},
): Promise<RulesCountResult> {
  const fields = options.fields ?? ALL_FIELDS;
  const { status, body } = await transport.request(
    {
      method: 'GET',
      path: RULE_COUNTS_PATH,
      ...(fields.length > 0 ? { searchParams: { 'rules_count.fields': fields.join(',') } } : {}),
      signal: options.signal,
      operation: OPERATION,
    },
    RulesCountResponse,
  );
  const errors = (body.errors ?? []).map(toRuleError);
  if (!body.data) {
    throw new RulesResponseError({
      kind: 'schema-mismatch',
      status,
      operation: OPERATION,
      bodyText: JSON.stringify(body),
      issues: [
        {
          path: ['data'],
          message: errors[0]
            ? `no counts, only errors: ${errors[0].message}`
            : 'no counts in the response',
        },
      ],
    });
  }
  return errors.length > 0 ? { ...body.data, errors } : { ...body.data };
}
