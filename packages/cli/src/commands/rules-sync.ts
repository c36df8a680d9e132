import { RulesClient, type SyncOptions } from '@birdstream/rules';
import { flag, stringOption } from '../cli/args.js';
import { requireToken, resolveBaseUrl } from '../cli/env.js';
import { ExitCode } from '../cli/exit-codes.js';
import { LIMIT_OPTIONS, readLimits } from '../cli/limits.js';
import { restProxy } from '../cli/proxy.js';
import { CliError } from '../cli/usage-error.js';
import { annotationPath, formatAnnotation, inGitHubActions } from '../output/annotations.js';
import { emitValidation } from '../output/emit-validation.js';
import { formatSyncReport, syncJson } from '../output/sync-output.js';
import { loadRulesFile } from '../rules-file/load-rules-file.js';
import { validateFileOffline } from '../rules-file/validation-report.js';
import type { Command } from './command.js';

const NAME = 'rules sync';

/** `birdstream rules sync <file>`: makes the App's rules match a rules file. */
export const rulesSyncCommand: Command = {
  spec: {
    name: NAME,
    summary:
      "Make the App's rules match a rules file: add what is missing, and with --prune delete what is not in it.",
    positionals: [
      {
        name: 'file',
        required: true,
        description: 'rules file (JSON or YAML), as for `rules validate`',
      },
    ],
    options: {
      'dry-run': {
        type: 'boolean',
        description: 'show the plan and let X check the new rules (dry_run=true); nothing changes',
      },
      prune: { type: 'boolean', description: 'also delete server rules that are not in the file' },
      json: { type: 'boolean', description: 'print the plan and the outcome as JSON' },
      ...LIMIT_OPTIONS,
    },
    details: [
      'The file is validated offline first; if it is invalid, nothing is sent (with GitHub Actions annotations under GITHUB_ACTIONS=true). Rules are compared by value: a changed tag is a delete plus an add. New rules are added before anything is deleted, so matching has no gap, and a refused rule never causes its predecessor to be deleted.',
      'Exit codes: 0 in sync (or dry run accepted), 1 invalid or refused rules, 2 usage, credentials, network error or rules X could not delete.',
    ],
    examples: [
      'birdstream rules sync rules.json --dry-run',
      'birdstream rules sync rules.yaml --prune',
    ],
  },

  async run(ctx, args) {
    const path = args.positionals[0] as string;
    const limits = readLimits(args.values, NAME);
    const dryRun = flag(args.values, 'dry-run');
    const prune = flag(args.values, 'prune');
    const json = flag(args.values, 'json');
    const baseUrl = resolveBaseUrl(stringOption(args.values, 'base-url'), ctx.env);
    const token = requireToken(ctx.env);

    const file = await loadRulesFile(path, ctx.cwd);
    const report = validateFileOffline(file, limits);
    if (!report.valid) {
      emitValidation(ctx, report, { json });
      if (!json) ctx.err(`birdstream: ${path} is invalid; nothing was sent to X.`);
      return ExitCode.invalid;
    }
    if (prune && file.rules.length === 0) {
      throw new CliError(
        `${path} defines no rules: with --prune this would delete every rule. Use \`birdstream rules delete-all --yes\` if that is what you want.`,
        ExitCode.error,
      );
    }
    for (const problem of report.problems) {
      ctx.err(`birdstream: warning: ${path}:${problem.line}:${problem.column}: ${problem.message}`);
    }

    const client = new RulesClient({
      bearerToken: token,
      baseUrl,
      proxy: restProxy(stringOption(args.values, 'proxy'), ctx.env, baseUrl, NAME),
    });
    const options: SyncOptions = { dryRun, prune, signal: ctx.signal, ...limits };
    const result = await client.sync(
      file.rules.map((rule) =>
        rule.tag === undefined ? { value: rule.value } : { value: rule.value, tag: rule.tag },
      ),
      options,
    );
    const document = syncJson(result, file, { prune });
    if (inGitHubActions(ctx.env)) {
      const where = annotationPath(path, ctx.cwd, ctx.env);
      for (const refused of document.outcome.refused) {
        const line = formatAnnotation(
          'error',
          { file: where, line: refused.line ?? 1, col: refused.column ?? 1 },
          `X refused this rule: ${refused.reasons.join(' ')}`,
        );
        if (json) ctx.err(line);
        else ctx.out(line);
      }
    }
    if (json) ctx.stdout.write(ctx.redact(`${JSON.stringify(document, null, 2)}\n`));
    else ctx.stdout.write(ctx.redact(formatSyncReport(document)));
    if (document.outcome.refused.length > 0) return ExitCode.invalid;
    return result.ok ? ExitCode.ok : ExitCode.error;
  },
};
