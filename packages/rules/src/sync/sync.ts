import { type AddRulesResult, addRules } from '../client/add.js';
import type { AddRuleOutcome } from '../client/add-outcomes.js';
import { deleteRules } from '../client/delete.js';
import { checkRuleInputs } from '../client/inputs.js';
import { listPages } from '../client/list.js';
import type { RuleError } from '../client/rule-errors.js';
import type { RequestOptions, RuleInput } from '../client/types.js';
import { RuleValidationError } from '../errors/rule-validation-error.js';
import type { Transport } from '../http/transport.js';
import type { Rule } from '../schemas/rule.js';
import type { RuleTier } from '../validation/tiers.js';
import { type RuleSetProblem, validateRules } from '../validation/validate-rules.js';
import { planSync, type SyncPlan } from './plan.js';

/** Options of {@link RulesClient.sync}. */
export interface SyncOptions extends RequestOptions {
  /**
   * Plan and check only: the new rules are sent with `?dry_run=true`, nothing
   * is stored and nothing is deleted.
   * @default false
   */
  dryRun?: boolean;
  /**
   * Delete server rules that are not in the desired set. Off, they are left
   * alone and listed in `plan.unmanaged`.
   * @default false
   */
  prune?: boolean;
  /**
   * Validate the desired rules offline first (`validateRules`) and send
   * nothing if any is invalid. Turn off only if the offline checks disagree
   * with X (then please report it).
   * @default true
   */
  validate?: boolean;
  /**
   * Your access level, for the offline checks' limits (see `validateRule`).
   * @default undefined (1,024 characters, 1,000 rules)
   */
  tier?: RuleTier;
  /**
   * Longest rule allowed by the offline checks.
   * @default the tier's limit (1,024)
   */
  maxLength?: number;
  /**
   * Most rules allowed by the offline checks.
   * @default the tier's limit (1,000)
   */
  maxRules?: number;
}

/** What {@link RulesClient.sync} did. */
export interface SyncOutcome {
  /**
   * Rules X created. With `dryRun`: the rules the real run would create — the
   * new values as X checked them (X generated ids but stored nothing) and the
   * re-tagged values, which X cannot check while their old rule exists (they
   * carry the id of the rule they replace; X already accepts that value).
   */
  created: Rule[];
  /** Rules X already had (`DuplicateRule`), counted as present. */
  alreadyPresent: { input: RuleInput; existingId: string }[];
  /**
   * Rules deleted (`meta.summary.deleted`). With `dryRun`: how many the real
   * run would delete (nothing is deleted).
   */
  deleted: number;
  /** Rules X did not delete (`meta.summary.not_deleted`). */
  notDeleted: number;
  /** Requested rules X did not create (invalid, rejected, or not reported). */
  refused: AddRuleOutcome[];
  /** Every problem X reported, except duplicates. */
  errors: RuleError[];
  /**
   * `true` when deletes were planned but skipped because X refused a new rule:
   * a refused replacement never leaves the stream without the rule it replaces.
   */
  deletesSkipped: boolean;
}

/** The result of {@link RulesClient.sync}. */
export interface SyncResult {
  dryRun: boolean;
  /** What sync set out to do. */
  plan: SyncPlan;
  /** What happened. */
  outcome: SyncOutcome;
  /** `true` when nothing was refused and every planned delete happened. */
  ok: boolean;
  /** Warnings of the offline checks (the rules were still sent). */
  warnings: RuleSetProblem[];
}

/**
 * Makes the server's rules match `desired` (see {@link RulesClient.sync}).
 * Order: add new values, then delete (old rules of tag changes, pruned rules),
 * then add the re-tagged values again. X refuses a second rule with the same
 * value, so a tag change cannot be added before its old rule is deleted; new
 * values are always added before anything is deleted.
 */
export async function syncRules(
  transport: Transport,
  desired: readonly RuleInput[],
  options: SyncOptions = {},
): Promise<SyncResult> {
  const inputs = checkRuleInputs(desired, 'sync()');
  const dryRun = options.dryRun === true;
  const { signal } = options;

  let warnings: RuleSetProblem[] = [];
  if (options.validate !== false) {
    const report = validateRules(inputs, {
      ...(options.tier ? { tier: options.tier } : {}),
      ...(options.maxLength !== undefined ? { maxLength: options.maxLength } : {}),
      ...(options.maxRules !== undefined ? { maxRules: options.maxRules } : {}),
    });
    if (!report.valid) {
      throw new RuleValidationError(
        report.problems,
        inputs.map((rule) => rule.value),
        'sync()',
      );
    }
    warnings = report.warnings;
  }

  const current: Rule[] = [];
  for await (const page of listPages(transport, { ...(signal ? { signal } : {}) })) {
    current.push(...page.rules);
  }
  const plan = planSync(inputs, current, options.prune === true);
  const outcome: SyncOutcome = {
    created: [],
    alreadyPresent: [],
    deleted: 0,
    notDeleted: 0,
    refused: [],
    errors: [],
    deletesSkipped: false,
  };
  const done = (): SyncResult => ({
    dryRun,
    plan,
    outcome,
    ok: outcome.refused.length === 0 && outcome.notDeleted === 0 && !outcome.deletesSkipped,
    warnings,
  });

  const retaggedValues = new Set(plan.retagged.map((change) => change.to.value));
  const fresh = plan.toAdd.filter((rule) => !retaggedValues.has(rule.value));
  if (fresh.length > 0) {
    record(outcome, await addRules(transport, fresh, { dryRun, ...(signal ? { signal } : {}) }));
  }
  if (outcome.refused.length > 0) {
    outcome.deletesSkipped = plan.toDelete.length > 0;
    return done();
  }
  if (dryRun) {
    // Predict the rest of the real run: every planned delete, then the re-tagged values again.
    outcome.deleted = plan.toDelete.length;
    outcome.created.push(
      ...plan.retagged.map(({ from, to }) =>
        to.tag ? { id: from.id, value: to.value, tag: to.tag } : { id: from.id, value: to.value },
      ),
    );
    return done();
  }
  if (plan.toDelete.length > 0) {
    const result = await deleteRules(
      transport,
      { ids: plan.toDelete.map((rule) => rule.id) },
      { ...(signal ? { signal } : {}) },
    );
    outcome.deleted += result.summary.deleted;
    outcome.notDeleted += result.summary.not_deleted;
    outcome.errors.push(...result.errors);
  }
  const retagged = plan.retagged.map((change) => change.to);
  if (retagged.length > 0) {
    record(outcome, await addRules(transport, retagged, { ...(signal ? { signal } : {}) }));
  }
  return done();
}

function record(outcome: SyncOutcome, result: AddRulesResult): void {
  for (const item of result.results) {
    if (item.status === 'created') outcome.created.push(item.rule);
    else if (item.status === 'duplicate') {
      outcome.alreadyPresent.push({ input: item.input, existingId: item.existingId });
    } else outcome.refused.push(item);
  }
  outcome.errors.push(...result.errors.filter((error) => error.kind !== 'duplicate'));
}
