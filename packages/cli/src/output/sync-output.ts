import type { AddRuleOutcome, SyncResult } from '@birdstream/rules';
import { locateDetail } from '../rules-file/locate-detail.js';
import type { RulesFile } from '../rules-file/types.js';
import { plural, quoteValue } from './format.js';

/** A rule X refused during sync, placed in the file. */
export interface RefusedRule {
  value: string;
  tag?: string;
  status: AddRuleOutcome['status'];
  reasons: string[];
  line?: number;
  column?: number;
}

/** What `rules sync --json` prints. */
export interface SyncJson {
  file: string;
  dryRun: boolean;
  prune: boolean;
  ok: boolean;
  plan: {
    add: { value: string; tag?: string }[];
    delete: { id: string; value: string; tag?: string }[];
    retag: { id: string; value: string; from?: string; to?: string }[];
    unchanged: number;
    unmanaged: { id: string; value: string; tag?: string }[];
  };
  outcome: {
    created: { id: string; value: string; tag?: string }[];
    alreadyPresent: { value: string; existingId: string }[];
    deleted: number;
    notDeleted: number;
    refused: RefusedRule[];
    deletesSkipped: boolean;
    errors: string[];
  };
}

/** The refused rules of a sync, with X's reasons and their place in the file. */
export function refusedRules(result: SyncResult, file: RulesFile): RefusedRule[] {
  return result.outcome.refused.map((outcome) => {
    const rule = file.rules.find((r) => r.value === outcome.input.value);
    const reasons =
      outcome.status === 'invalid'
        ? outcome.details.length > 0
          ? outcome.details
          : [outcome.error.message]
        : outcome.status === 'rejected'
          ? [outcome.error.message]
          : ['X neither created nor refused this rule.'];
    const refused: RefusedRule = { value: outcome.input.value, status: outcome.status, reasons };
    if (outcome.input.tag) refused.tag = outcome.input.tag;
    if (rule) {
      const where = locateDetail(rule, reasons[0] ?? '');
      refused.line = where.line;
      refused.column = where.column;
    }
    return refused;
  });
}

function tagged<T extends { tag?: string | undefined }>(
  base: Omit<T, 'tag'>,
  tag: string | undefined,
): T {
  return (tag ? { ...base, tag } : base) as T;
}

/** The `--json` document of a sync. */
export function syncJson(
  result: SyncResult,
  file: RulesFile,
  options: { prune: boolean },
): SyncJson {
  const { plan, outcome } = result;
  const refusedValues = new Set(outcome.refused.map((r) => r.input.value));
  // Problems already shown with the rule they refused are not repeated.
  const otherErrors = outcome.errors.filter(
    (error) => !('value' in error && error.value !== undefined && refusedValues.has(error.value)),
  );
  return {
    file: file.path,
    dryRun: result.dryRun,
    prune: options.prune,
    ok: result.ok,
    plan: {
      add: plan.toAdd.map((r) => tagged({ value: r.value }, r.tag)),
      delete: plan.toDelete.map((r) => tagged({ id: r.id, value: r.value }, r.tag)),
      retag: plan.retagged.map((change) => {
        const item: { id: string; value: string; from?: string; to?: string } = {
          id: change.from.id,
          value: change.from.value,
        };
        if (change.from.tag) item.from = change.from.tag;
        if (change.to.tag) item.to = change.to.tag;
        return item;
      }),
      unchanged: plan.unchanged.length,
      unmanaged: plan.unmanaged.map((r) => tagged({ id: r.id, value: r.value }, r.tag)),
    },
    outcome: {
      created: outcome.created.map((r) => tagged({ id: r.id, value: r.value }, r.tag)),
      alreadyPresent: outcome.alreadyPresent.map((p) => ({
        value: p.input.value,
        existingId: p.existingId,
      })),
      deleted: outcome.deleted,
      notDeleted: outcome.notDeleted,
      refused: refusedRules(result, file),
      deletesSkipped: outcome.deletesSkipped,
      errors: otherErrors.map((e) => e.message),
    },
  };
}

/** The readable report of `birdstream rules sync`: the plan, then what happened. */
export function formatSyncReport(json: SyncJson): string {
  const { plan, outcome } = json;
  const lines: string[] = [];
  lines.push(`${json.file} → X${json.dryRun ? ' (dry run: nothing is changed)' : ''}`, '');
  const retagged = new Set(plan.retag.map((r) => r.value));
  for (const rule of plan.add) {
    if (retagged.has(rule.value)) continue;
    lines.push(
      `  + add     ${quoteValue(rule.value)}${rule.tag ? ` (tag ${quoteValue(rule.tag, 40)})` : ''}`,
    );
  }
  for (const change of plan.retag) {
    lines.push(
      `  ~ retag   ${quoteValue(change.value)}: ${quoteValue(change.from ?? '', 30)} → ${quoteValue(change.to ?? '', 30)} (deleted and added again)`,
    );
  }
  for (const rule of plan.delete) {
    if (retagged.has(rule.value)) continue;
    lines.push(`  - delete  ${rule.id} ${quoteValue(rule.value)}`);
  }
  lines.push(`  = ${plural(plan.unchanged, 'rule')} unchanged`);
  if (plan.unmanaged.length > 0) {
    lines.push(
      `  ! ${plural(plan.unmanaged.length, 'rule')} on the server not in ${json.file}, kept (--prune deletes them):`,
    );
    for (const rule of plan.unmanaged) lines.push(`      ${rule.id} ${quoteValue(rule.value)}`);
  }
  if (outcome.refused.length > 0) {
    lines.push('', 'X refused:');
    for (const rule of outcome.refused) {
      const where = rule.line !== undefined ? `${json.file}:${rule.line}:${rule.column}  ` : '';
      lines.push(`  ✗ ${where}${quoteValue(rule.value)}`);
      for (const reason of rule.reasons) lines.push(`      ${reason}`);
    }
  }
  for (const error of outcome.errors) lines.push(`  X reported: ${error}`);
  lines.push('');
  // A dry run's outcome predicts the real run's (see SyncOutcome), so the counts read the same.
  const [created, deleted] = json.dryRun
    ? ['would create', 'would delete']
    : ['created', 'deleted'];
  const counts = `${created} ${outcome.created.length}, already present ${outcome.alreadyPresent.length}, ${deleted} ${outcome.deleted}, refused ${outcome.refused.length}`;
  if (json.ok) {
    lines.push(
      json.dryRun
        ? `✓ Dry run: ${counts}. Run without --dry-run to apply.`
        : `✓ The server's rules now match ${json.file}: ${counts}.`,
    );
  } else {
    const skipped = outcome.deletesSkipped
      ? ' Deletes were skipped so no rule is lost while its replacement is refused.'
      : '';
    const notDeleted =
      outcome.notDeleted > 0 ? ` ${plural(outcome.notDeleted, 'rule')} could not be deleted.` : '';
    lines.push(`✗ Sync incomplete: ${counts}.${skipped}${notDeleted}`);
  }
  return `${lines.join('\n')}\n`;
}
