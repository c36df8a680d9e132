import { crcResponseToken } from '@birdstream/webhooks';
import { stringOption } from '../cli/args.js';
import { ExitCode } from '../cli/exit-codes.js';
import { UsageError } from '../cli/usage-error.js';
import { requireConsumerSecret, webhooksClient } from '../webhooks/webhook-options.js';
import type { Command } from './command.js';

const NAME = 'webhooks crc';

/** `birdstream webhooks crc <id>`: asks X to run a CRC now; `--crc-token` computes an answer locally. */
export const webhooksCrcCommand: Command = {
  spec: {
    name: NAME,
    summary:
      'Ask X to CRC-check a webhook now (re-validates an invalid one), or compute a CRC answer.',
    positionals: [
      { name: 'id', description: 'the webhook id (not with --crc-token)', required: false },
    ],
    options: {
      'crc-token': {
        type: 'string',
        value: '<crc_token>',
        description:
          'print the response_token for this crc_token from X_CONSUMER_SECRET, without calling X',
      },
    },
    details: [
      'X sends CRCs hourly; a webhook that failed one gets nothing until a CRC passes. Exit codes: 0 the webhook is valid (or the token was computed), 1 X ran the CRC and the webhook is still invalid, 2 usage, credentials, network or API error.',
    ],
    examples: [
      'birdstream webhooks crc 1146654567674912769',
      'birdstream webhooks crc --crc-token NzA5Mzk0MTgyOTg5NTkxMzAy',
    ],
  },

  async run(ctx, args) {
    const token = stringOption(args.values, 'crc-token');
    const id = args.positionals[0];
    if (token !== undefined) {
      if (id !== undefined)
        throw new UsageError('Give either a webhook id or --crc-token, not both.', NAME);
      const answer = await crcResponseToken(requireConsumerSecret(ctx.env), token);
      ctx.stdout.write(`${JSON.stringify({ response_token: answer })}\n`);
      return ExitCode.ok;
    }
    if (id === undefined)
      throw new UsageError('Give the webhook id (or --crc-token <crc_token>).', NAME);
    const client = webhooksClient(ctx, args.values, NAME);
    const { attempted } = await client.validate(id, { signal: ctx.signal });
    const webhook = (await client.list({ signal: ctx.signal })).find((w) => w.id === id);
    if (webhook?.valid) {
      ctx.out(`Webhook ${id} passed the CRC: valid.`);
      return ExitCode.ok;
    }
    ctx.err(
      `Webhook ${id} is ${webhook === undefined ? 'not registered' : 'invalid'}${attempted ? ' after the CRC' : ' (X did not run the CRC)'}: check that ${webhook?.url ?? 'its URL'} answers GET ?crc_token= with the app's consumer secret.`,
    );
    return ExitCode.invalid;
  },
};
