import { flag } from '../cli/args.js';
import { ExitCode } from '../cli/exit-codes.js';
import { webhooksClient } from '../webhooks/webhook-options.js';
import type { Command } from './command.js';

const NAME = 'webhooks list';

/** `birdstream webhooks list`: the app's webhooks and the filtered stream's links. */
export const webhooksListCommand: Command = {
  spec: {
    name: NAME,
    summary: 'List the app’s webhooks (valid or not) and their links to the filtered stream.',
    positionals: [],
    options: { json: { type: 'boolean', description: 'print { webhooks, links } as JSON' } },
    details: [
      'A webhook that failed a CRC is invalid and gets nothing until `birdstream webhooks crc <id>` passes.',
      'Exit codes: 0 listed, 2 usage, credentials, network or API error.',
    ],
    examples: ['birdstream webhooks list', 'birdstream webhooks list --json'],
  },

  async run(ctx, args) {
    const client = webhooksClient(ctx, args.values, NAME);
    const [webhooks, links] = await Promise.all([
      client.list({ signal: ctx.signal }),
      client.links({ signal: ctx.signal }),
    ]);
    if (flag(args.values, 'json')) {
      const out = {
        webhooks,
        links: links.map((l) => ({ webhook_id: l.webhookId, params: l.params })),
      };
      ctx.stdout.write(ctx.redact(`${JSON.stringify(out, null, 2)}\n`));
      return ExitCode.ok;
    }
    if (webhooks.length === 0) {
      ctx.out('No webhooks registered. Register one with `birdstream webhooks register <url>`.');
      return ExitCode.ok;
    }
    for (const webhook of webhooks) {
      const link = links.find((l) => l.webhookId === webhook.id);
      const fields =
        link === undefined
          ? 'not linked'
          : `linked${
              Object.keys(link.params).length > 0
                ? ` (${Object.entries(link.params)
                    .map(([k, v]) => `${k}=${v.join(',')}`)
                    .join(' ')})`
                : ''
            }`;
      ctx.out(`${webhook.id}  ${webhook.valid ? 'valid  ' : 'INVALID'}  ${fields}  ${webhook.url}`);
    }
    return ExitCode.ok;
  },
};
