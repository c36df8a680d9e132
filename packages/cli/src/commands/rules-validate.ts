import { flag, stringOption } from '../cli/args.js';
import { requireToken, resolveBaseUrl } from '../cli/env.js';
import { ExitCode } from '../cli/exit-codes.js';
import { LIMIT_OPTIONS, readLimits } from '../cli/limits.js';
import { restProxy } from '../cli/proxy.js';
import { emitValidation } from '../output/emit-validation.js';
import { loadRulesFile } from '../rules-file/load-rules-file.js';
import { checkRemotely } from '../rules-file/remote-check.js';
import { validateFileOffline } from '../rules-file/validation-report.js';
import type { Command } from './command.js';

const NAME = 'rules validate';

/** `birdstream rules validate <file>`: offline (and optionally X's dry run) validation for CI. */
export const rulesValidateCommand: Command = {
  spec: {
    name: NAME,
    summary: 'Validate a rules file offline; with --remote, also ask X (dry run, nothing changes).',
    positionals: [
      {
        name: 'file',
        required: true,
        description: 'rules file: JSON or YAML, a list of { "value", "tag" } or { "rules": [...] }',
      },
    ],
    options: {
      remote: {
        type: 'boolean',
        description:
          "also send the rules to X with dry_run=true and report X's verdict per rule (needs X_BEARER_TOKEN)",
      },
      json: { type: 'boolean', description: 'print the report as JSON' },
      ...LIMIT_OPTIONS,
    },
    details: [
      "With GITHUB_ACTIONS=true, every problem is also printed as a GitHub Actions annotation (::error file=…,line=…,col=…::…) on the rule's line.",
      "With --remote, X's verdict decides whether a rule is valid: an offline problem on a rule X accepts is reported as a warning. A rule already on the server counts as valid.",
      'Exit codes: 0 valid, 1 invalid rules (or an unparsable file), 2 usage, missing file, credentials or network error.',
    ],
    examples: [
      'birdstream rules validate rules.json',
      'birdstream rules validate rules.yaml --tier enterprise --json',
      'X_BEARER_TOKEN=… birdstream rules validate rules.json --remote',
    ],
  },

  async run(ctx, args) {
    const path = args.positionals[0] as string;
    const limits = readLimits(args.values, NAME);
    const remote = flag(args.values, 'remote');
    const json = flag(args.values, 'json');
    const baseUrl = resolveBaseUrl(stringOption(args.values, 'base-url'), ctx.env);
    const token = remote ? requireToken(ctx.env) : undefined;

    const file = await loadRulesFile(path, ctx.cwd);
    let report = validateFileOffline(file, limits);
    if (token !== undefined && file.rules.length > 0 && !hasFileErrors(report)) {
      report = await checkRemotely(report, file, {
        token,
        baseUrl,
        proxy: restProxy(stringOption(args.values, 'proxy'), ctx.env, baseUrl, NAME),
        signal: ctx.signal,
      });
    }
    emitValidation(ctx, report, { json });
    return report.valid ? ExitCode.ok : ExitCode.invalid;
  },
};

function hasFileErrors(report: ReturnType<typeof validateFileOffline>): boolean {
  return report.problems.some(
    (p) =>
      p.source === 'file' && p.severity === 'error' && (p.code === 'syntax' || p.code === 'shape'),
  );
}
