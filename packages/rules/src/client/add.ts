import type { Transport } from '../http/transport.js';
import { AddRulesResponse, type AddSummary } from '../schemas/responses.js';
import type { Rule } from '../schemas/rule.js';
import { type AddRuleOutcome, matchAddOutcomes } from './add-outcomes.js';
import { RULES_PATH } from './endpoints.js';
import { checkRuleInputs } from './inputs.js';
import { type RuleError, toRuleError } from './rule-errors.js';
import type { AddOptions, RuleInput } from './types.js';

/** The result of {@link RulesClient.add}. Refused rules are outcomes here, not exceptions. */
export interface AddRulesResult {
  /** Whether this was a dry run (nothing stored). */
  dryRun: boolean;
  /** HTTP status: 201 when something was created, 200 when nothing was (spec §3.3); 0 when nothing was sent. */
  status: number;
  /** The rules X created, as X returned them (`data`, in X's order). */
  created: Rule[];
  /** `meta.summary` as X sent it. */
  summary: AddSummary;
  /** Every problem X reported (`errors`), typed. */
  errors: RuleError[];
  /** One outcome per requested rule, in request order. */
  results: AddRuleOutcome[];
  /** `true` when every requested rule was created or already existed. */
  ok: boolean;
  /** When X handled the request (`meta.sent`). */
  sent?: string;
}

/** `POST rules {"add": [...]}`, optionally with `?dry_run=true`. */
export async function addRules(
  transport: Transport,
  rules: readonly RuleInput[],
  options: AddOptions = {},
): Promise<AddRulesResult> {
  const inputs = checkRuleInputs(rules, 'add()');
  const dryRun = options.dryRun === true;
  if (inputs.length === 0) {
    return {
      dryRun,
      status: 0,
      created: [],
      summary: { created: 0, not_created: 0, valid: 0, invalid: 0 },
      errors: [],
      results: [],
      ok: true,
    };
  }
  const { status, body } = await transport.request(
    {
      method: 'POST',
      path: RULES_PATH,
      ...(dryRun ? { searchParams: { dry_run: 'true' } } : {}),
      json: { add: inputs },
      signal: options.signal,
      operation: dryRun ? 'check filtered stream rules (dry run)' : 'add filtered stream rules',
    },
    AddRulesResponse,
  );
  const created = body.data ?? [];
  const errors = (body.errors ?? []).map(toRuleError);
  const results = matchAddOutcomes(inputs, created, errors);
  const result: AddRulesResult = {
    dryRun,
    status,
    created,
    summary: body.meta.summary,
    errors,
    results,
    ok: results.every((r) => r.status === 'created' || r.status === 'duplicate'),
  };
  if (body.meta.sent !== undefined) result.sent = body.meta.sent;
  return result;
}
