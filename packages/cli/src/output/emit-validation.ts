import type { CommandContext } from '../cli/context.js';
import type { ValidationReport } from '../rules-file/validation-report.js';
import { annotationPath, inGitHubActions } from './annotations.js';
import {
  formatValidationJson,
  formatValidationReport,
  validationAnnotations,
} from './validation-output.js';

/**
 * Prints a validation report: readable text or `--json` on stdout, plus
 * GitHub Actions annotations when `GITHUB_ACTIONS=true` (on stdout with the
 * text report; on stderr with `--json`, so stdout stays one JSON document:
 * the runner reads workflow commands from both).
 */
export function emitValidation(
  ctx: CommandContext,
  report: ValidationReport,
  options: { json: boolean },
): void {
  if (inGitHubActions(ctx.env)) {
    const file = annotationPath(report.file, ctx.cwd, ctx.env);
    for (const line of validationAnnotations(report, file)) {
      if (options.json) ctx.err(line);
      else ctx.out(line);
    }
  }
  const text = options.json ? formatValidationJson(report) : formatValidationReport(report);
  ctx.stdout.write(ctx.redact(text));
}
