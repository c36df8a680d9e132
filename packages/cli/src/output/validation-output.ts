import type {
  ReportProblem,
  RuleReport,
  ValidationReport,
} from '../rules-file/validation-report.js';
import { type AnnotationLevel, formatAnnotation } from './annotations.js';
import { plural, quoteValue } from './format.js';

/**
 * The readable report of `birdstream rules validate` (and of `rules sync`
 * when the file is invalid): one block per problem with `file:line:col`,
 * X's verdict per rule with `--remote`, and a one-line conclusion.
 */
export function formatValidationReport(report: ValidationReport): string {
  const lines: string[] = [];
  const checked = report.remote ? 'offline and by X (dry run)' : 'offline';
  lines.push(`${report.file}: ${plural(report.summary.rules, 'rule')} checked ${checked}`);
  if (report.problems.length > 0) lines.push('');
  for (const problem of report.problems) lines.push(...problemLines(report.file, problem));
  if (report.remote && report.rules.length > 0) {
    lines.push('', "X's verdict (dry run, nothing was changed):");
    for (const rule of report.rules) lines.push(`  ${verdictLine(rule)}`);
  }
  lines.push('');
  const { summary } = report;
  const warnings = summary.warnings > 0 ? `, ${plural(summary.warnings, 'warning')}` : '';
  if (report.valid) {
    lines.push(`✓ ${plural(summary.rules, 'rule')} valid${warnings}.`);
  } else {
    const invalid =
      summary.invalid > 0
        ? `${summary.invalid} of ${plural(summary.rules, 'rule')} invalid`
        : 'invalid file';
    lines.push(`✗ ${invalid}: ${plural(summary.errors, 'error')}${warnings}.`);
  }
  return `${lines.join('\n')}\n`;
}

function problemLines(file: string, problem: ReportProblem): string[] {
  const where = `${file}:${problem.line}:${problem.column}`;
  const source = problem.source === 'remote' ? ' (X)' : '';
  const lines = [`  ${where}  ${problem.severity}${source}  ${problem.message}  [${problem.code}]`];
  if (problem.index !== undefined && problem.value !== undefined) {
    lines.push(`      rule ${problem.index + 1}: ${quoteValue(problem.value)}`);
  }
  return lines;
}

function verdictLine(rule: RuleReport): string {
  const mark = rule.valid ? '✓' : '✗';
  const what =
    rule.remote === 'accepted'
      ? 'accepted'
      : rule.remote === 'duplicate'
        ? `already on the server${rule.existingId ? ` (id ${rule.existingId})` : ''}`
        : rule.remote === 'rejected'
          ? 'rejected'
          : 'no verdict';
  return `${mark} rule ${rule.index + 1} ${quoteValue(rule.value, 60)}: ${what}`;
}

/** The machine-readable report (`--json`): the `ValidationReport`, as one JSON document. */
export function formatValidationJson(report: ValidationReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** One GitHub Actions annotation per problem, pointing at the rule's line and column. */
export function validationAnnotations(report: ValidationReport, annotationFile: string): string[] {
  return report.problems.map((problem) => {
    const level: AnnotationLevel = problem.severity === 'error' ? 'error' : 'warning';
    const prefix = problem.index !== undefined ? `Rule ${problem.index + 1}: ` : '';
    const by = problem.source === 'remote' ? ' (X dry run)' : '';
    const message = problem.message.startsWith('Rule ')
      ? problem.message
      : `${prefix}${problem.message}`;
    return formatAnnotation(
      level,
      { file: annotationFile, line: problem.line, col: problem.column },
      `${message}${by}`,
    );
  });
}
