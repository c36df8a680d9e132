import { RulesClient } from '@birdstream/rules';
import { flag, stringOption } from '../cli/args.js';
import { requireToken, resolveBaseUrl } from '../cli/env.js';
import { ExitCode } from '../cli/exit-codes.js';
import { restProxy } from '../cli/proxy.js';
import { formatRulesTable } from '../output/rules-table.js';
import type { Command } from './command.js';

const NAME = 'rules list';

/** `birdstream rules list`: the App's rules, as a table or as a rules file (`--json`). */
export const rulesListCommand: Command = {
  spec: {
    name: NAME,
    summary: "List the App's filtered-stream rules.",
    positionals: [],
    options: {
      json: {
        type: 'boolean',
        description: 'print { "rules": [{ "id", "value", "tag" }] }, which `rules sync` reads back',
      },
    },
    details: ['Exit codes: 0 listed, 2 usage, credentials or network error.'],
    examples: ['birdstream rules list', 'birdstream rules list --json > rules.json'],
  },

  async run(ctx, args) {
    const baseUrl = resolveBaseUrl(stringOption(args.values, 'base-url'), ctx.env);
    const token = requireToken(ctx.env);
    const client = new RulesClient({
      bearerToken: token,
      baseUrl,
      proxy: restProxy(stringOption(args.values, 'proxy'), ctx.env, baseUrl, NAME),
    });
    const rules = await client.list({ signal: ctx.signal });
    if (flag(args.values, 'json')) {
      const plain = rules.map((rule) =>
        rule.tag === undefined
          ? { id: rule.id, value: rule.value }
          : { id: rule.id, value: rule.value, tag: rule.tag },
      );
      ctx.stdout.write(ctx.redact(`${JSON.stringify({ rules: plain }, null, 2)}\n`));
    } else {
      ctx.stdout.write(ctx.redact(formatRulesTable(rules)));
    }
    return ExitCode.ok;
  },
};
