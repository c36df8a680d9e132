import { UsageClient } from '@birdstream/core';
import { flag, stringOption } from '../cli/args.js';
import { requireToken, resolveBaseUrl } from '../cli/env.js';
import { ExitCode } from '../cli/exit-codes.js';
import { restProxy } from '../cli/proxy.js';
import { parseInteger } from '../cli/values.js';
import { formatCount } from '../output/format.js';
import type { Command } from './command.js';

/** `birdstream usage`: the project's post reads against its cap. */
export const usageCommand: Command = {
  spec: {
    name: 'usage',
    summary: "Show the project's post reads this billing period against its cap.",
    positionals: [],
    options: {
      days: {
        type: 'string',
        value: '<n>',
        description: 'days of daily usage to show, 1–90 (default 7)',
      },
      json: { type: 'boolean', description: 'print X’s usage object as JSON' },
    },
    details: [
      'Every post a stream delivers is billed (pay-per-use counts each unique post once per UTC day). At the cap X answers 429 usage-capped until the cap resets; `birdstream stream --max-posts` stops before that.',
      'Exit codes: 0 shown, 2 usage, credentials or network error.',
    ],
    examples: ['birdstream usage', 'birdstream usage --days 30 --json'],
  },

  async run(ctx, args) {
    const daysText = stringOption(args.values, 'days');
    const days = daysText === undefined ? 7 : parseInteger(daysText, '--days', 'usage', 1, 90);
    const baseUrl = resolveBaseUrl(stringOption(args.values, 'base-url'), ctx.env);
    const client = new UsageClient({
      bearerToken: requireToken(ctx.env),
      baseUrl,
      proxy: restProxy(stringOption(args.values, 'proxy'), ctx.env, baseUrl, 'usage'),
    });
    const { usage, percentOfCap } = await client.get({ days, signal: ctx.signal });
    if (flag(args.values, 'json')) {
      ctx.stdout.write(ctx.redact(`${JSON.stringify(usage, null, 2)}\n`));
      return ExitCode.ok;
    }
    const used = usage.project_usage;
    const cap = usage.project_cap;
    const lines = [
      `Posts read this period: ${used === undefined ? 'unknown' : formatCount(used)}${cap === undefined ? '' : ` of ${formatCount(cap)}`}${percentOfCap === undefined ? '' : ` (${percentOfCap.toFixed(1)} %)`}`,
    ];
    if (usage.cap_reset_day !== undefined) {
      lines.push(
        `The cap resets in ${usage.cap_reset_day} day${usage.cap_reset_day === 1 ? '' : 's'}.`,
      );
    }
    const daily = usage.daily_project_usage?.usage ?? [];
    if (daily.length > 0) {
      lines.push('', 'Day         Posts');
      for (const day of daily) lines.push(`${day.date.slice(0, 10)}  ${formatCount(day.usage)}`);
    }
    ctx.stdout.write(ctx.redact(`${lines.join('\n')}\n`));
    return ExitCode.ok;
  },
};
