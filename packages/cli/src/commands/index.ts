import type { Command } from './command.js';
import { connectionsKillCommand, connectionsListCommand } from './connections.js';
import { ingestCommand } from './ingest.js';
import { rulesDeleteAllCommand } from './rules-delete-all.js';
import { rulesListCommand } from './rules-list.js';
import { rulesSyncCommand } from './rules-sync.js';
import { rulesValidateCommand } from './rules-validate.js';
import { streamCommand } from './stream.js';
import { usageCommand } from './usage.js';
import { webhooksCrcCommand } from './webhooks-crc.js';
import { webhooksLinkCommand } from './webhooks-link.js';
import { webhooksListCommand } from './webhooks-list.js';
import { webhooksRegisterCommand } from './webhooks-register.js';
import { webhooksReplayCommand } from './webhooks-replay.js';
import { webhooksServeCommand } from './webhooks-serve.js';

/** Every command, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [
  rulesValidateCommand,
  rulesSyncCommand,
  rulesListCommand,
  rulesDeleteAllCommand,
  streamCommand,
  connectionsListCommand,
  connectionsKillCommand,
  usageCommand,
  ingestCommand,
  webhooksServeCommand,
  webhooksRegisterCommand,
  webhooksLinkCommand,
  webhooksListCommand,
  webhooksReplayCommand,
  webhooksCrcCommand,
];

/** The command named by the first one or two words of argv. */
export function findCommand(first: string, second: string | undefined): Command | undefined {
  return (
    COMMANDS.find((c) => c.spec.name === `${first} ${second ?? ''}`) ??
    COMMANDS.find((c) => c.spec.name === first)
  );
}

function commandList(commands: readonly Command[]): string[] {
  const width = Math.max(...commands.map((c) => c.spec.name.length)) + 2;
  return commands.map((c) => `  birdstream ${c.spec.name.padEnd(width)}${c.spec.summary}`);
}

/** `birdstream --help`. */
export function topLevelHelp(): string {
  return `${[
    'Usage: birdstream <command> [options]',
    '',
    'Manage X API v2 filtered-stream rules from CI, stream posts to JSONL, and watch connections and usage.',
    '',
    'Commands:',
    ...commandList(COMMANDS),
    '',
    "Run 'birdstream <command> --help' for a command's options.",
    '',
    'The bearer token is read from X_BEARER_TOKEN (or TWITTER_BEARER_TOKEN), never from the command line.',
    'BIRDSTREAM_BASE_URL (or --base-url) points the commands at an emulator or a proxy.',
    'BIRDSTREAM_DEBUG=1 adds stack traces to error messages.',
  ].join('\n')}\n`;
}

/** `birdstream rules`: the commands of a group. */
export function groupHelp(group: string): string {
  const commands = COMMANDS.filter((c) => c.spec.name.startsWith(`${group} `));
  return `${[
    `Usage: birdstream ${group} <command> [options]`,
    '',
    'Commands:',
    ...commandList(commands),
    '',
    `Run 'birdstream ${group} <command> --help' for a command's options.`,
  ].join('\n')}\n`;
}
