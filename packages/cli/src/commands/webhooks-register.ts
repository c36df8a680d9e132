import { flag } from '../cli/args.js';
import { ExitCode } from '../cli/exit-codes.js';
import { webhooksClient } from '../webhooks/webhook-options.js';
import type { Command } from './command.js';

const NAME = 'webhooks register';

/** `birdstream webhooks register <url>`: registers a webhook (X runs a CRC against it first). */
export const webhooksRegisterCommand: Command = {
  spec: {
    name: NAME,
    summary: 'Register a webhook URL with X (X checks it with a CRC first).',
    positionals: [
      {
        name: 'url',
        description: 'the public https URL X should POST to (no port, at most 200 characters)',
        required: true,
      },
    ],
    options: { json: { type: 'boolean', description: 'print the webhook as JSON' } },
    details: [
      'The URL must already answer CRCs: run `birdstream webhooks serve` (behind your https proxy) or your own receiver first. Then link it to the filtered stream with `birdstream webhooks link <id>`.',
      'Exit codes: 0 registered, 2 usage, credentials, network or API error (a failed CRC included).',
    ],
    examples: ['birdstream webhooks register https://example.com/webhooks/x'],
  },

  async run(ctx, args) {
    const client = webhooksClient(ctx, args.values, NAME);
    const webhook = await client.register(args.positionals[0] ?? '', { signal: ctx.signal });
    if (flag(args.values, 'json')) {
      ctx.stdout.write(ctx.redact(`${JSON.stringify(webhook, null, 2)}\n`));
    } else {
      ctx.out(
        `Registered webhook ${webhook.id} (${webhook.valid ? 'valid' : 'not valid yet'}): ${webhook.url}`,
      );
      ctx.out(
        `Next: birdstream webhooks link ${webhook.id} --tweet-fields created_at --expansions author_id`,
      );
    }
    return ExitCode.ok;
  },
};
