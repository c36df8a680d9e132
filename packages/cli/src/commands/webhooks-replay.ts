import { stringOption } from '../cli/args.js';
import { ExitCode } from '../cli/exit-codes.js';
import { UsageError } from '../cli/usage-error.js';
import { parseDuration } from '../cli/values.js';
import { webhooksClient } from '../webhooks/webhook-options.js';
import type { Command } from './command.js';

const NAME = 'webhooks replay';

/** A time as `--from`/`--to` take it: a duration ago (`2h`), an ISO date, or `now`. */
function readTime(text: string, flagName: string, now: number): number {
  if (text.trim().toLowerCase() === 'now') return now;
  if (/^\d{4}-\d{2}-\d{2}T/.test(text)) {
    const ms = Date.parse(text);
    if (!Number.isNaN(ms)) return ms;
    throw new UsageError(`${flagName} is not a valid ISO date: '${text}'.`, NAME);
  }
  return now - parseDuration(text, flagName, NAME);
}

/** `birdstream webhooks replay <id> --from 2h`: X redelivers what it sent the webhook in a window. */
export const webhooksReplayCommand: Command = {
  spec: {
    name: NAME,
    summary:
      'Ask X to redeliver what it sent (or tried to send) a webhook, within the last 24 hours.',
    positionals: [{ name: 'id', description: 'the webhook id', required: true }],
    options: {
      from: {
        type: 'string',
        value: '<when>',
        description: 'start: a duration ago (2h, 90m) or an ISO date (required)',
      },
      to: {
        type: 'string',
        value: '<when>',
        description: 'end: a duration ago, an ISO date or now (default now)',
      },
    },
    details: [
      'X runs one replay job per webhook at a time; the receiver answers what it already handed over as duplicates, provided its dedupe remembers that far back (the Redis store keeps 25 h).',
      'Exit codes: 0 job started, 2 usage, credentials, network or API error.',
    ],
    examples: [
      'birdstream webhooks replay 1146654567674912769 --from 2h',
      'birdstream webhooks replay 1146654567674912769 --from 2026-05-01T10:00:00Z --to 2026-05-01T11:00:00Z',
    ],
  },

  async run(ctx, args) {
    const id = args.positionals[0] ?? '';
    const fromText = stringOption(args.values, 'from');
    if (fromText === undefined)
      throw new UsageError('--from is required (a duration ago such as 2h, or an ISO date).', NAME);
    const now = ctx.clock.now();
    const from = readTime(fromText, '--from', now);
    const toText = stringOption(args.values, 'to');
    const to = toText === undefined ? now : readTime(toText, '--to', now);
    const client = webhooksClient(ctx, args.values, NAME);
    const job = await client.replay(id, { from, to }, { signal: ctx.signal, now });
    ctx.out(
      `Replay job ${job.jobId} started for webhook ${id}: ${job.fromDate} to ${job.toDate} (UTC, yyyymmddhhmm).`,
    );
    return ExitCode.ok;
  },
};
