import { type AddRuleOutcome, RulesClient } from '@birdstream/rules';
import { locateDetail } from './locate-detail.js';
import type { LocatedRule, RulesFile } from './types.js';
import {
  finish,
  type RemoteVerdict,
  type ReportProblem,
  type ValidationReport,
} from './validation-report.js';

/** Offline problems about the set, which X's verdict on single rules does not overrule. */
const SET_LEVEL = new Set(['duplicate-value', 'too-many-rules', 'invalid-value']);

/** How to reach X for the dry run. */
export interface RemoteCheckOptions {
  token: string;
  baseUrl: string;
  /** The proxy for the request (`restProxy`), or `false`. */
  proxy?: string | false;
  signal?: AbortSignal;
}

/**
 * Adds X's verdict to an offline report: sends the file's rules to
 * `POST /2/tweets/search/stream/rules?dry_run=true` (nothing is stored) and
 * matches X's answer back to each rule. X decides: an offline problem on a
 * rule X accepts becomes a warning; a rule X refuses is invalid, with each of
 * X's `details` placed at its "(at position N)" in the file. A rule already
 * on the server (`DuplicateRule`) is valid.
 */
export async function checkRemotely(
  report: ValidationReport,
  file: RulesFile,
  options: RemoteCheckOptions,
): Promise<ValidationReport> {
  const client = new RulesClient({
    bearerToken: options.token,
    baseUrl: options.baseUrl,
    proxy: options.proxy ?? false,
  });
  // One request per distinct value: a value twice in the file is already an offline error.
  const unique = new Map<string, LocatedRule>();
  for (const rule of file.rules) if (!unique.has(rule.value)) unique.set(rule.value, rule);
  const inputs = [...unique.values()].map((rule) =>
    rule.tag === undefined ? { value: rule.value } : { value: rule.value, tag: rule.tag },
  );
  const result = await client.add(
    inputs,
    options.signal ? { dryRun: true, signal: options.signal } : { dryRun: true },
  );
  const outcomes = new Map<string, AddRuleOutcome>();
  for (const outcome of result.results) outcomes.set(outcome.input.value, outcome);

  report.remote = true;
  for (const rule of report.rules) {
    const located = file.rules.find((r) => r.index === rule.index);
    const outcome = outcomes.get(rule.value);
    if (!located || !outcome) continue;
    const verdict = verdictOf(outcome);
    rule.remote = verdict;
    if (outcome.status === 'duplicate') rule.existingId = outcome.existingId;
    if (verdict === 'accepted' || verdict === 'duplicate') {
      for (const problem of report.problems) {
        if (problem.index !== rule.index || problem.source !== 'offline') continue;
        if (problem.severity !== 'error' || SET_LEVEL.has(problem.code)) continue;
        problem.severity = 'warning';
        problem.message = `${problem.message} (X accepted the rule, so this is only a warning)`;
      }
    } else {
      report.problems.push(...remoteProblems(outcome, located));
    }
    rule.valid = !report.problems.some((p) => p.index === rule.index && p.severity === 'error');
  }
  return finish(report);
}

function verdictOf(outcome: AddRuleOutcome): RemoteVerdict {
  switch (outcome.status) {
    case 'created':
      return 'accepted';
    case 'duplicate':
      return 'duplicate';
    case 'invalid':
    case 'rejected':
      return 'rejected';
    default:
      return 'unknown';
  }
}

/** X's reasons for refusing a rule, each at the position it names. */
function remoteProblems(outcome: AddRuleOutcome, rule: LocatedRule): ReportProblem[] {
  const base = { source: 'remote' as const, index: rule.index, value: rule.value };
  if (outcome.status === 'invalid') {
    const details = outcome.details.length > 0 ? outcome.details : [outcome.error.message];
    return details.map((detail) => {
      const where = locateDetail(rule, detail);
      return { ...base, severity: 'error', code: 'invalid-rules', message: detail, ...where };
    });
  }
  if (outcome.status === 'rejected') {
    const code =
      outcome.error.kind === 'other'
        ? (outcome.error.problemType ?? 'rejected')
        : outcome.error.kind;
    return [
      {
        ...base,
        severity: 'error',
        code,
        message: outcome.error.message,
        ...rule.locate(),
      },
    ];
  }
  return [
    {
      ...base,
      severity: 'warning',
      code: 'no-verdict',
      message: 'X neither created nor refused this rule in the dry run.',
      ...rule.locate(),
    },
  ];
}
