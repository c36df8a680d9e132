import { flag } from '../cli/args.js';
import { ExitCode } from '../cli/exit-codes.js';
import { LINK_FIELD_OPTIONS, readLinkFields, webhooksClient } from '../webhooks/webhook-options.js';
import type { Command } from './command.js';

const NAME = 'webhooks link';

/** `birdstream webhooks link <id>`: links a webhook to the filtered stream with fields, or unlinks it. */
export const webhooksLinkCommand: Command = {
  spec: {
    name: NAME,
    summary:
      'Link a webhook to the filtered stream with the stream’s fields (or --remove the link).',
    positionals: [
      {
        name: 'id',
        description: 'the webhook id (from `birdstream webhooks list`)',
        required: true,
      },
    ],
    options: {
      ...LINK_FIELD_OPTIONS,
      remove: { type: 'boolean', description: 'unlink the webhook instead' },
    },
    details: [
      'X then POSTs every post matching the filtered-stream rules to the webhook, with these fields and expansions. Give the receiver the same fields (`birdstream webhooks serve` takes the same flags). Link several webhooks for redundancy: the receiver drops the duplicates.',
      'Exit codes: 0 linked (or unlinked), 2 usage, credentials, network or API error.',
    ],
    examples: [
      'birdstream webhooks link 1146654567674912769 --tweet-fields created_at,lang --expansions author_id',
      'birdstream webhooks link 1146654567674912769 --remove',
    ],
  },

  async run(ctx, args) {
    const id = args.positionals[0] ?? '';
    const client = webhooksClient(ctx, args.values, NAME);
    if (flag(args.values, 'remove')) {
      const { deleted } = await client.unlink(id, { signal: ctx.signal });
      ctx.out(
        deleted
          ? `Unlinked webhook ${id} from the filtered stream.`
          : `Webhook ${id} was not linked.`,
      );
      return ExitCode.ok;
    }
    const fields = readLinkFields(args.values, NAME);
    const { provisioned } = await client.link(id, fields, { signal: ctx.signal });
    const described = Object.entries(fields).map(([k, v]) => `${k}=${(v as string[]).join(',')}`);
    ctx.out(
      `${provisioned ? 'Linked' : 'X did not provision the link of'} webhook ${id} to the filtered stream${described.length > 0 ? ` (${described.join(' ')})` : ' (default fields)'}.`,
    );
    return provisioned ? ExitCode.ok : ExitCode.error;
  },
};
