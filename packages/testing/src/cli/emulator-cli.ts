import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { isBirdstreamError, STREAM_ENDPOINT_TABLE } from '@birdstream/core';
import { type Emulator, type EmulatorOptions, startEmulator } from '../emulator/start-emulator.js';
import type { EmulatorRule } from '../engine/options.js';
import { STREAM_PATHS } from '../engine/stream-routes.js';
import type { ScriptedFault } from '../faults/fault.js';

/** Where the CLI writes. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

/** A running CLI: the emulator and a way to stop it with a summary. */
export interface RunningCli {
  emulator: Emulator;
  stop(): Promise<void>;
}

export const USAGE = `Usage: birdstream-emulator [options]

A local X API v2 stream and rules emulator with fault injection.

Options:
  --port <n>            TCP port (0 picks a free one)              [8080]
  --host <address>      interface to listen on                     [127.0.0.1]
  --rate <n>            posts per emulated second                  [50]
  --time-scale <n>      emulated time runs n times faster          [1]
  --seed <n|text>       seed of the traffic and random faults      [random]
  --faults <mode>       none, random, or a JSON file with a script [none]
  --fault-interval <ms> mean emulated ms between random faults     [60000]
  --token <token>       require this bearer token                  [any token]
  --rules <file>        JSON file of rules to preload: [{"value": "...", "tag": "..."}]
  --start-time <time>   emulated start: now, or an ISO date        [now]
  --framing <mode>      crlf (X), lf or sse (X's playground)       [crlf]
  --drift <shapes>      none (X's spec) or playground (the shapes
                        and framing X's own emulator serves)       [none]
  --slow-reader <ms>    drop a client that reads nothing this long [off]
  --phantom-timeout <ms> how long a vanished client still counts   [120000]
  --phantom-on-reset    a client's TCP reset leaves a phantom connection
  --usage-cap <n>       posts before X's 429 usage-capped          [no cap]
  --max-connections <n> connections per stream at once (2 = Enterprise) [1]
  --keep-alive <ms>     emulated ms between keep-alives            [20000]
  --gzip <mode>         auto (when asked), always or never         [auto]
  --raw-utf8            send emoji as raw UTF-8, not \uD83E\uDD41 escapes
  --no-rate-limits      no x-rate-limit windows (X's limits by default)
  --max-rules <n>       rules the app may hold                     [1000]
  --max-rule-length <n> longest rule value accepted                [1024]
  --slow-reader-bytes <n> unread bytes before a slow reader is dropped [16 MiB]
  --quiet               do not log connections and faults
  -h, --help            show this help

Endpoints: every stream of birdstream's endpoint table:
${STREAM_PATHS.map((p) => `  GET ${p}`).join('\n')}
GET|POST /2/tweets/search/stream/rules, GET /2/tweets/search/stream/rules/counts,
GET|DELETE /2/connections, DELETE /2/connections/all|{endpoint_id}, GET /2/usage/tweets.
Control (the emulator's own, no token): GET /_emulator/clock tells emulated time
({"now", "timeScale"}; birdstream stream --emulator-clock follows it), and
POST /_emulator/faults injects one fault, e.g. an 8-minute outage:
  curl -X POST localhost:8080/_emulator/faults -d '{"type":"outage","ms":480000}'
All durations are emulated milliseconds.
Ctrl-C stops the emulator and closes every connection.`;

/** A problem with the command line (exit code 2). */
export class UsageError extends Error {
  override name = 'UsageError';
}

function number(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got "${value}".`);
  return n;
}

async function readJson(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new UsageError(`Cannot read the ${what} file "${path}".`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`The ${what} file "${path}" is not valid JSON.`);
  }
}

/**
 * Parses the command line and starts the emulator. Throws `UsageError` (or a
 * birdstream `ConfigError`) with a one-line message on bad input.
 */
export async function runEmulatorCli(
  argv: readonly string[],
  io: CliIo,
): Promise<RunningCli | undefined> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        rate: { type: 'string' },
        'time-scale': { type: 'string' },
        seed: { type: 'string' },
        faults: { type: 'string' },
        'fault-interval': { type: 'string' },
        token: { type: 'string' },
        rules: { type: 'string' },
        'start-time': { type: 'string' },
        framing: { type: 'string' },
        drift: { type: 'string' },
        'slow-reader': { type: 'string' },
        'phantom-timeout': { type: 'string' },
        'phantom-on-reset': { type: 'boolean' },
        'usage-cap': { type: 'string' },
        'max-connections': { type: 'string' },
        'keep-alive': { type: 'string' },
        gzip: { type: 'string' },
        'raw-utf8': { type: 'boolean' },
        'no-rate-limits': { type: 'boolean' },
        'max-rules': { type: 'string' },
        'max-rule-length': { type: 'string' },
        'slow-reader-bytes': { type: 'string' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message} (see --help).`);
  }
  if (values.help) {
    io.out(USAGE);
    return undefined;
  }
  const str = (key: string) => values[key] as string | undefined;
  const seedText = str('seed');
  const seed =
    seedText === undefined ? undefined : /^-?\d+$/.test(seedText) ? Number(seedText) : seedText;
  const faultsArg = str('faults') ?? 'none';
  let faults: 'none' | 'random' | ScriptedFault[];
  if (faultsArg === 'none' || faultsArg === 'random') faults = faultsArg;
  else {
    const script = await readJson(faultsArg, 'faults');
    if (!Array.isArray(script))
      throw new UsageError(`The faults file "${faultsArg}" must hold a JSON array of faults.`);
    faults = script as ScriptedFault[];
  }
  let rules: EmulatorRule[] | undefined;
  const rulesPath = str('rules');
  if (rulesPath !== undefined) {
    const list = await readJson(rulesPath, 'rules');
    if (!Array.isArray(list))
      throw new UsageError(
        `The rules file "${rulesPath}" must hold a JSON array of {"value", "tag"} objects.`,
      );
    rules = list as EmulatorRule[];
  }
  const startText = str('start-time');
  let startTime: number | undefined;
  if (startText !== undefined && startText !== 'now') {
    startTime = Date.parse(startText);
    if (Number.isNaN(startTime))
      throw new UsageError(`--start-time must be "now" or an ISO date, got "${startText}".`);
  }
  const token = str('token');
  const port = number(str('port'), 'port') ?? 8080;
  let emulator: Emulator;
  try {
    emulator = await startEmulator({
      port,
      host: str('host') ?? '127.0.0.1',
      rate: number(str('rate'), 'rate'),
      timeScale: number(str('time-scale'), 'time-scale'),
      seed,
      faults,
      faultIntervalMs: number(str('fault-interval'), 'fault-interval'),
      bearerToken: token,
      rules,
      startTime,
      framing: str('framing') as EmulatorOptions['framing'],
      drift: str('drift') as EmulatorOptions['drift'],
      slowReaderMs: number(str('slow-reader'), 'slow-reader'),
      phantomTimeoutMs: number(str('phantom-timeout'), 'phantom-timeout'),
      phantomOnReset: values['phantom-on-reset'] === true,
      usageCap: number(str('usage-cap'), 'usage-cap'),
      maxConnections: number(str('max-connections'), 'max-connections'),
      keepAliveMs: number(str('keep-alive'), 'keep-alive'),
      gzip: str('gzip') as EmulatorOptions['gzip'],
      escapeNonBmp: values['raw-utf8'] === true ? false : undefined,
      rateLimits: values['no-rate-limits'] === true ? false : undefined,
      maxRules: number(str('max-rules'), 'max-rules'),
      maxRuleLength: number(str('max-rule-length'), 'max-rule-length'),
      slowReaderBytes: number(str('slow-reader-bytes'), 'slow-reader-bytes'),
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new UsageError(
        `Port ${port} is already in use; pick another with --port (0 picks a free one).`,
      );
    }
    throw error;
  }
  const stats = emulator.stats();
  io.out(`birdstream emulator listening on ${emulator.url}`);
  io.out(
    `  seed ${String(stats.seed)} · ${number(str('rate'), 'rate') ?? 50} posts/s · time ×${number(str('time-scale'), 'time-scale') ?? 1} · faults: ${faultsArg}`,
  );
  io.out(
    token === undefined
      ? '  bearer token: any is accepted (pass --token <token> to require one)'
      : '  bearer token: required, the one given with --token',
  );
  io.out(
    `  try: curl -N -H "Authorization: Bearer $X_BEARER_TOKEN" ${emulator.url}${STREAM_ENDPOINT_TABLE.sample.path}`,
  );
  io.out(`  or point a client at it: --base-url ${emulator.url}`);
  io.out(
    `  emulated time: GET ${emulator.url}/_emulator/clock (birdstream stream --emulator-clock follows it); faults: POST ${emulator.url}/_emulator/faults`,
  );
  io.out('Press Ctrl-C to stop.');

  const offs: (() => void)[] = [];
  if (!values.quiet) {
    offs.push(
      emulator.on('connected', (e) =>
        io.err(
          `connected    #${e.connectionId} ${e.endpoint}${e.backfillMinutes ? ` (backfill ${e.backfillMinutes} min)` : ''}${e.gzip ? ' gzip' : ''}`,
        ),
      ),
      emulator.on('disconnected', (e) => {
        const c = emulator.stats().connections.find((x) => x.id === e.connectionId);
        io.err(
          `disconnected #${e.connectionId} (${e.reason}) after ${c?.postIds.length ?? 0} posts`,
        );
      }),
      emulator.on('rejected', (e) =>
        io.err(
          `rejected     ${e.rejection.endpoint} ${e.rejection.status} ${e.rejection.reason}${e.rejection.injected ? ' (injected)' : ''}`,
        ),
      ),
      emulator.on('fault', (e) =>
        io.err(
          `fault        ${e.fault.type}${e.fault.connectionId ? ` on #${e.fault.connectionId}` : ''}`,
        ),
      ),
      emulator.on('rules-changed', (e) => io.err(`rules        ${e.count} active`)),
    );
  }
  let stopping: Promise<void> | undefined;
  return {
    emulator,
    stop() {
      stopping ??= (async () => {
        await emulator.close();
        for (const off of offs) off();
        const s = emulator.stats();
        io.out(
          `stopped: ${s.connectionsOpened} connections, ${s.postsSent} posts sent (${s.uniquePostIds.length} distinct), ${s.faults.length} faults.`,
        );
      })();
      return stopping;
    },
  };
}

/** The one line to print for an error that ends the CLI. */
export function describeCliError(error: unknown): string {
  if (error instanceof UsageError || isBirdstreamError(error)) return error.message;
  return `Unexpected error: ${(error as Error)?.message ?? String(error)}`;
}
