import { parseArgs } from 'node:util';
import { UsageError } from './usage-error.js';

/** One `--flag` of a command. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  /** One-letter alias, such as `o` for `-o`. */
  short?: string;
  /** One line for `--help`. */
  description: string;
  /** Placeholder for the value in `--help`, such as `<file>`. */
  value?: string;
}

/** One positional argument of a command. */
export interface PositionalSpec {
  name: string;
  description: string;
  required: boolean;
  /** Takes any number of values (the last positional only). */
  variadic?: boolean;
}

/** What a command accepts, and the text of its `--help`. */
export interface CommandSpec {
  /** The words that select the command, such as `rules validate`. */
  name: string;
  /** One line, shown in the command list and at the top of `--help`. */
  summary: string;
  options: Record<string, OptionSpec>;
  positionals: PositionalSpec[];
  /** Extra paragraphs of `--help` (exit codes, environment, notes). */
  details?: string[];
  examples?: string[];
}

/** Options every command accepts. */
const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  'base-url': {
    type: 'string',
    value: '<url>',
    description:
      'API base URL, for an emulator or a proxy (default https://api.x.com; env BIRDSTREAM_BASE_URL)',
  },
  proxy: {
    type: 'string',
    value: '<url>',
    description:
      'send the requests through this HTTP proxy, http://[user:password@]host:port (default: HTTPS_PROXY or HTTP_PROXY, except hosts in NO_PROXY)',
  },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

/** Flags that would put the bearer token on the command line. */
const TOKEN_FLAGS = ['--token', '--bearer-token', '--bearer', '--access-token', '--auth-token'];

export type ParsedValues = Record<string, string | boolean | undefined>;

export interface ParsedArgs {
  values: ParsedValues;
  positionals: string[];
}

/** True when `-h` or `--help` appears before a `--` terminator. */
export function wantsHelp(argv: readonly string[]): boolean {
  for (const arg of argv) {
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
  }
  return false;
}

/**
 * Refuses any flag that would carry the token, without echoing its value:
 * tokens on the command line end up in shell history and in `ps` output.
 */
export function refuseTokenFlags(argv: readonly string[], command?: string): void {
  for (const arg of argv) {
    if (arg === '--') return;
    const name = arg.split('=', 1)[0]?.toLowerCase() ?? '';
    if (TOKEN_FLAGS.includes(name)) {
      throw new UsageError(
        `${name} is not accepted: a token on the command line ends up in shell history and process lists. Set X_BEARER_TOKEN (or TWITTER_BEARER_TOKEN) in the environment instead.`,
        command,
      );
    }
  }
}

/** Parses a command's arguments strictly: unknown flags and extra or missing arguments are usage errors. */
export function parseCommandArgs(spec: CommandSpec, argv: readonly string[]): ParsedArgs {
  refuseTokenFlags(argv, spec.name);
  const options = { ...GLOBAL_OPTIONS, ...spec.options };
  const config: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const [name, option] of Object.entries(options)) {
    config[name] = option.short
      ? { type: option.type, short: option.short }
      : { type: option.type };
  }
  let parsed: { values: ParsedValues; positionals: string[] };
  try {
    parsed = parseArgs({
      args: [...argv],
      options: config,
      allowPositionals: true,
      strict: true,
    }) as { values: ParsedValues; positionals: string[] };
  } catch (error) {
    throw new UsageError(describeParseError(error), spec.name);
  }
  const required = spec.positionals.filter((p) => p.required).length;
  if (parsed.positionals.length < required) {
    const missing = spec.positionals[parsed.positionals.length];
    throw new UsageError(`Missing argument <${missing?.name ?? 'argument'}>.`, spec.name);
  }
  const variadic = spec.positionals.at(-1)?.variadic === true;
  if (!variadic && parsed.positionals.length > spec.positionals.length) {
    const extra = parsed.positionals[spec.positionals.length] ?? '';
    throw new UsageError(`Unexpected argument '${extra}'.`, spec.name);
  }
  return parsed;
}

function describeParseError(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  const oneLine = message.replace(/\s*\n\s*/g, ' ').trim();
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const match = /Unknown option '([^']+)'/.exec(message);
    return match ? `Unknown option '${match[1]}'.` : oneLine;
  }
  return oneLine.endsWith('.') ? oneLine : `${oneLine}.`;
}

/** A string option, or `undefined`. */
export function stringOption(values: ParsedValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

/** A boolean flag. */
export function flag(values: ParsedValues, name: string): boolean {
  return values[name] === true;
}

/** The `--help` text of a command. */
export function formatHelp(spec: CommandSpec): string {
  const args = spec.positionals
    .map((p) => (p.required ? `<${p.name}>` : `[${p.name}]`) + (p.variadic ? '…' : ''))
    .join(' ');
  const lines = [
    `Usage: birdstream ${spec.name}${args ? ` ${args}` : ''} [options]`,
    '',
    spec.summary,
  ];
  if (spec.positionals.length > 0) {
    lines.push('', 'Arguments:');
    const width = Math.max(...spec.positionals.map((p) => p.name.length + 2)) + 2;
    for (const p of spec.positionals) {
      lines.push(`  ${`<${p.name}>`.padEnd(width)}${p.description}`);
    }
  }
  const all = { ...spec.options, ...GLOBAL_OPTIONS };
  const labels = Object.entries(all).map(([name, option]) => {
    const short = option.short ? `-${option.short}, ` : '    ';
    return [
      `${short}--${name}${option.value ? ` ${option.value}` : ''}`,
      option.description,
    ] as const;
  });
  const width = Math.max(...labels.map(([label]) => label.length)) + 2;
  lines.push('', 'Options:');
  for (const [label, description] of labels) lines.push(`  ${label.padEnd(width)}${description}`);
  for (const paragraph of spec.details ?? []) lines.push('', paragraph);
  if (spec.examples && spec.examples.length > 0) {
    lines.push('', 'Examples:');
    for (const example of spec.examples) lines.push(`  ${example}`);
  }
  return `${lines.join('\n')}\n`;
}
