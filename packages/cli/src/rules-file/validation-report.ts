import { type RuleTier, validateRules } from '@birdstream/rules';
import type { LocatedRule, RulesFile } from './types.js';

/** Where a problem was found. */
export type ProblemSource = 'file' | 'offline' | 'remote';

/** One problem of a rules file, located in the file. */
export interface ReportProblem {
  severity: 'error' | 'warning';
  source: ProblemSource;
  /** Stable identifier, such as `syntax`, `unbalanced-parentheses` or X's `UnprocessableEntity`. */
  code: string;
  message: string;
  line: number;
  column: number;
  /** 0-based index of the rule in the file's list, when the problem belongs to one. */
  index?: number;
  /** The rule's value, when the problem belongs to one. */
  value?: string;
}

/** X's answer to the dry run, for one rule. */
export type RemoteVerdict = 'accepted' | 'duplicate' | 'rejected' | 'unknown';

/** The verdict on one rule of the file. */
export interface RuleReport {
  index: number;
  value: string;
  tag?: string;
  line: number;
  column: number;
  valid: boolean;
  /** X's answer when `--remote` was used. */
  remote?: RemoteVerdict;
  /** For `duplicate`: the id of the rule already on the server. */
  existingId?: string;
}

/** The result of validating a rules file, as printed and as `--json` writes it. */
export interface ValidationReport {
  file: string;
  format: RulesFile['format'];
  valid: boolean;
  /** Whether X's dry run was consulted (`--remote`). */
  remote: boolean;
  summary: { rules: number; valid: number; invalid: number; errors: number; warnings: number };
  rules: RuleReport[];
  problems: ReportProblem[];
}

/** Limits for offline validation (the tier's, unless overridden). */
export interface OfflineLimits {
  tier?: RuleTier;
  maxLength?: number;
  maxRules?: number;
}

/**
 * Validates a parsed rules file offline: the file's own problems, then
 * `validateRules` of `@birdstream/rules` (syntax, operators, length,
 * duplicates, rule count), each problem placed at its line and column.
 */
export function validateFileOffline(file: RulesFile, limits: OfflineLimits): ValidationReport {
  const problems: ReportProblem[] = file.problems.map((p) => {
    const problem: ReportProblem = {
      severity: p.severity,
      source: 'file',
      code: p.code,
      message: p.message,
      line: p.line,
      column: p.column,
    };
    if (p.ruleIndex !== undefined) problem.index = p.ruleIndex;
    return problem;
  });
  const syntaxBroken = file.problems.some((p) => p.code === 'syntax' || p.code === 'shape');

  if (file.rules.length > 0 || file.entries > 0) {
    const options: OfflineLimits = {};
    if (limits.tier) options.tier = limits.tier;
    if (limits.maxLength !== undefined) options.maxLength = limits.maxLength;
    if (limits.maxRules !== undefined) options.maxRules = limits.maxRules;
    // The values of entries with a file problem are checked too: every problem in one run.
    const checked = [...file.rules, ...(file.flagged ?? [])].sort((a, b) => a.index - b.index);
    const result = validateRules(checked, options);
    for (const found of result.problems) problems.push(offlineProblem(checked, found, 'error'));
    for (const found of result.warnings) problems.push(offlineProblem(checked, found, 'warning'));
  } else if (!syntaxBroken) {
    problems.push({
      severity: 'warning',
      source: 'file',
      code: 'no-rules',
      message: 'The file defines no rules: the filtered stream delivers nothing without rules.',
      line: 1,
      column: 1,
    });
  }

  const rules: RuleReport[] = file.rules.map((rule) => {
    const report: RuleReport = {
      index: rule.index,
      value: rule.value,
      ...rule.locate(),
      valid: !problems.some((p) => p.index === rule.index && p.severity === 'error'),
    };
    if (rule.tag !== undefined) report.tag = rule.tag;
    return report;
  });
  return finish(
    {
      file: file.path,
      format: file.format,
      valid: false,
      remote: false,
      summary: { rules: 0, valid: 0, invalid: 0, errors: 0, warnings: 0 },
      rules,
      problems,
    },
    file.entries,
  );
}

/** Recomputes `valid` and `summary` after problems changed; sorts problems by line. */
export function finish(report: ValidationReport, entries = report.summary.rules): ValidationReport {
  report.problems.sort((a, b) => a.line - b.line || a.column - b.column);
  const errors = report.problems.filter((p) => p.severity === 'error').length;
  const valid = report.rules.filter((r) => r.valid).length;
  const total = Math.max(entries, report.rules.length);
  report.summary = {
    rules: total,
    valid,
    invalid: total - valid,
    errors,
    warnings: report.problems.length - errors,
  };
  report.valid = errors === 0;
  return report;
}

function offlineProblem(
  checked: readonly LocatedRule[],
  found: { code: string; message: string; position: number; index?: number },
  severity: 'error' | 'warning',
): ReportProblem {
  const rule: LocatedRule | undefined =
    found.index === undefined ? undefined : checked[found.index];
  const where = rule
    ? rule.locate(found.position)
    : { line: checked[0]?.locate().line ?? 1, column: 1 };
  const problem: ReportProblem = {
    severity,
    source: 'offline',
    code: found.code,
    message: found.message,
    line: where.line,
    column: where.column,
  };
  if (rule) {
    problem.index = rule.index;
    problem.value = rule.value;
  }
  return problem;
}
