import { RulesClient } from '@birdstream/rules';
import { flag, stringOption } from '../cli/args.js';
import { requireToken, resolveBaseUrl } from '../cli/env.js';
import { ExitCode } from '../cli/exit-codes.js';
import { restProxy } from '../cli/proxy.js';
import { CliError } from '../cli/usage-error.js';
import { plural } from '../output/format.js';
import type { Command } from './command.js';

const NAME = 'rules delete-all';

/** `birdstream rules delete-all --yes`: removes every rule of the App. */
export const rulesDeleteAllCommand: Command = {
  spec: {
    name: NAME,
    summary: 'Delete every filtered-stream rule of the App (needs --yes; cannot be undone).',
    positionals: [],
    options: {
      yes: { type: 'boolean', short: 'y', description: 'confirm: delete every rule' },
      'dry-run': {
        type: 'boolean',
        description: 'ask X what would be deleted (dry_run=true); nothing changes',
      },
      json: { type: 'boolean', description: 'print the result as JSON' },
    },
    details: [
      'Deleted rules cannot be recovered, and the filtered stream delivers nothing without rules: save them first with `birdstream rules list --json > rules.json`.',
      'Exit codes: 0 deleted, 2 refused without --yes, usage, credentials or network error.',
    ],
    examples: ['birdstream rules list --json > backup.json && birdstream rules delete-all --yes'],
  },

  async run(ctx, args) {
    const dryRun = flag(args.values, 'dry-run');
    if (!dryRun && !flag(args.values, 'yes')) {
      throw new CliError(
        'rules delete-all deletes every rule of the App and cannot be undone; add --yes to confirm (or --dry-run to check first). Save them first with `birdstream rules list --json > rules.json`.',
        ExitCode.error,
      );
    }
    const baseUrl = resolveBaseUrl(stringOption(args.values, 'base-url'), ctx.env);
    const token = requireToken(ctx.env);
    const client = new RulesClient({
      bearerToken: token,
      baseUrl,
      proxy: restProxy(stringOption(args.values, 'proxy'), ctx.env, baseUrl, NAME),
    });
    const result = await client.deleteAll({ confirm: true, dryRun, signal: ctx.signal });
    const { deleted, not_deleted: notDeleted } = result.summary;
    if (flag(args.values, 'json')) {
      const errors = result.errors.map((error) => error.message);
      ctx.stdout.write(
        ctx.redact(`${JSON.stringify({ dryRun, deleted, notDeleted, errors }, null, 2)}\n`),
      );
    } else {
      const verb = dryRun ? 'Would delete' : 'Deleted';
      const rest = notDeleted > 0 ? `; ${plural(notDeleted, 'rule')} not deleted` : '';
      ctx.out(
        `${verb} ${plural(deleted, 'rule')}${rest}${dryRun ? ' (dry run: nothing changed)' : ''}.`,
      );
      for (const error of result.errors) ctx.out(`  X reported: ${error.message}`);
    }
    return notDeleted > 0 ? ExitCode.error : ExitCode.ok;
  },
};
