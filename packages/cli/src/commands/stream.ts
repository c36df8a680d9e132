import {
  type Clock,
  isApiError,
  isBudgetExhaustedError,
  isFirstConnectionError,
  STREAM_ENDPOINT_TABLE,
  StreamClient,
  type StreamOptions,
} from '@birdstream/core';
import { flag, stringOption } from '../cli/args.js';
import type { CommandContext } from '../cli/context.js';
import { requireToken, resolveBaseUrl } from '../cli/env.js';
import { ExitCode } from '../cli/exit-codes.js';
import { type CliProxy, resolveProxy } from '../cli/proxy.js';
import { CliError, UsageError } from '../cli/usage-error.js';
import {
  METRICS_PORT_OPTION,
  type MetricsAddress,
  type MetricsEndpoint,
  parseMetricsAddress,
  startMetricsEndpoint,
} from '../metrics/metrics-endpoint.js';
import { ProgressReporter } from '../output/progress.js';
import { type StopReason, streamSummary } from '../output/stream-summary.js';
import { emulatorClock } from '../stream/emulator-clock.js';
import { describeFirstConnection, FIRST_CONNECTION_HINT } from '../stream/first-connection.js';
import { flattenResponse } from '../stream/flatten.js';
import { openOutput } from '../stream/open-output.js';
import { RunStats } from '../stream/run-stats.js';
import { streamEventHandlers } from '../stream/stream-events.js';
import {
  endpointChoices,
  readStreamSettings,
  type StreamSettings,
} from '../stream/stream-settings.js';
import type { Command } from './command.js';

const NAME = 'stream';

/**
 * After Ctrl-C or SIGTERM, how long the output may take to drain before the
 * run ends anyway (a reader of stdout that stopped reading must not keep a
 * container's process alive until SIGKILL).
 */
export const SHUTDOWN_FLUSH_GRACE_MS = 2_000;

/** `birdstream stream`: posts to JSONL, with progress on stderr and a clean stop. */
export const streamCommand: Command = {
  spec: {
    name: NAME,
    summary:
      'Connect to an X stream (the filtered stream by default) and write one JSON response per line to stdout or a file.',
    positionals: [],
    options: {
      endpoint: {
        type: 'string',
        value: '<name>',
        description: `the stream (default filter): ${endpointChoices()}; partition ranges in brackets`,
      },
      partition: {
        type: 'string',
        value: '<N|A-B|all>',
        description:
          'the partition of a partitioned stream; a range or all opens one connection per partition and merges them',
      },
      sample: {
        type: 'boolean',
        description: 'the 1% sample stream instead of the filtered stream (--endpoint sample)',
      },
      expansions: {
        type: 'string',
        value: '<a,b>',
        description: 'expansions, e.g. author_id,attachments.media_keys',
      },
      'tweet-fields': {
        type: 'string',
        value: '<a,b>',
        description: 'tweet.fields, e.g. created_at,lang,public_metrics',
      },
      'user-fields': {
        type: 'string',
        value: '<a,b>',
        description: 'user.fields, e.g. username,verified',
      },
      'media-fields': {
        type: 'string',
        value: '<a,b>',
        description: 'media.fields, e.g. url,alt_text',
      },
      'place-fields': {
        type: 'string',
        value: '<a,b>',
        description: 'place.fields, e.g. full_name,country_code',
      },
      'poll-fields': {
        type: 'string',
        value: '<a,b>',
        description: 'poll.fields, e.g. options,end_datetime',
      },
      'like-fields': {
        type: 'string',
        value: '<a,b>',
        description:
          'like_with_tweet_author.fields of the likes streams, e.g. created_at,liked_tweet_id',
      },
      backfill: {
        type: 'string',
        value: '<auto|N>',
        description:
          'auto: on reconnect, ask for the missed minutes (1-5); N: ask for N minutes on every connection (Enterprise)',
      },
      output: {
        type: 'string',
        short: 'o',
        value: '<file>',
        description: 'write to this file instead of stdout (truncated first)',
      },
      append: { type: 'boolean', description: 'append to --output instead of truncating it' },
      limit: { type: 'string', value: '<N>', description: 'stop after N posts' },
      'max-posts': {
        type: 'string',
        value: '<N>',
        description:
          "a budget for this run: warn at 80%, stop cleanly at N posts delivered (core's budget option)",
      },
      duration: {
        type: 'string',
        value: '<time>',
        description: 'stop after this long, e.g. 30s, 15m, 2h',
      },
      flatten: {
        type: 'boolean',
        description:
          'write posts with includes resolved (author, media, poll, place, referenced posts)',
      },
      'max-retries': {
        type: 'string',
        value: '<N>',
        description: 'give up after N failed reconnects in a row (default: never)',
      },
      proxy: {
        type: 'string',
        value: '<url>',
        description:
          'send the stream through this HTTP proxy, http://[user:password@]host:port (default: HTTPS_PROXY or HTTP_PROXY, except hosts in NO_PROXY)',
      },
      'connect-attempts': {
        type: 'string',
        value: '<N>',
        description:
          'until the stream has connected once, give up after N failed attempts (default 10)',
      },
      'connect-timeout-total': {
        type: 'string',
        value: '<time>',
        description:
          'until the stream has connected once, give up after this long, e.g. 30s (default 2m)',
      },
      quiet: {
        type: 'boolean',
        short: 'q',
        description: 'no progress, event lines or summary on stderr (errors still)',
      },
      'progress-interval': {
        type: 'string',
        value: '<time>',
        description:
          'how often a progress line is printed when stderr is not a terminal (default 30s)',
      },
      'metrics-port': METRICS_PORT_OPTION,
      'recover-gaps': {
        type: 'boolean',
        description:
          "after an outage longer than X's 5-minute backfill, replay the gap with a recovery request (start_time/end_time, Enterprise; needs --backfill)",
      },
      'emulator-clock': {
        type: 'boolean',
        description:
          'follow the emulated time of the birdstream emulator at --base-url (its GET /_emulator/clock), to try long outages and recovery with birdstream-emulator --time-scale',
      },
    },
    details: [
      'Progress goes to stderr: one line updated in place on a terminal, a plain line every --progress-interval otherwise; it shows how far behind the stream is (age of recent posts, the share of time spent writing them) and, with --max-posts, the budget. A "falling behind" line warns before X would disconnect a reader that is too slow. Ctrl-C (or SIGTERM) closes the connection, flushes the output (giving a reader that stopped reading 2 s) and prints a summary; a second Ctrl-C exits at once.',
      'Streams other than filter and sample need Enterprise access. Field flags apply where X accepts them: the six post flags on post streams; --like-fields, --expansions (liked_tweet_id, liked_tweet_author_id), --tweet-fields and --user-fields on likes streams; none on compliance, labels and activity. A partition range merges the partitions into one output, each message once.',
      "A stream that never connects (wrong --base-url, no network, a broken proxy) ends after --connect-attempts failed attempts or --connect-timeout-total, whichever comes first, with one line naming the URL tried, the cause and what to check. Once connected, it reconnects by X's policy (bounded by --max-retries).",
      'Proxies: HTTPS_PROXY (https URLs) and HTTP_PROXY (http URLs, such as an emulator), or --proxy, with NO_PROXY hosts connecting directly; https goes through a CONNECT tunnel. Proxy credentials are never printed.',
      'Metrics: --metrics-port serves Prometheus metrics on /metrics while the stream runs (posts, keep-alives, bytes, reconnects by reason, stalls, backfill, duplicates, post age, connection state; per partition with a range), plus Node process metrics.',
      'Environment: X_BEARER_TOKEN (or TWITTER_BEARER_TOKEN), BIRDSTREAM_BASE_URL, HTTPS_PROXY, HTTP_PROXY, NO_PROXY.',
      'Exit codes: 0 stopped by --limit, --max-posts, --duration or a closed output pipe; 2 usage, credentials (401/403), no rules (409), network; 130 after Ctrl-C, 143 after SIGTERM.',
    ],
    examples: [
      'birdstream stream --tweet-fields created_at,lang --expansions author_id -o posts.jsonl',
      'birdstream stream --sample --limit 1000 --flatten > sample.jsonl',
      'birdstream stream --duration 15m --backfill auto -o posts.jsonl',
      'birdstream stream --endpoint tweets-compliance --partition 1-4 --backfill auto -o compliance.jsonl',
      'birdstream stream --endpoint firehose --partition all --tweet-fields lang',
    ],
  },

  async run(ctx, args) {
    const settings = readStreamSettings(args.values);
    const baseUrl = resolveBaseUrl(stringOption(args.values, 'base-url'), ctx.env);
    const proxy = resolveProxy(settings.proxy, ctx.env, baseUrl);
    const token = requireToken(ctx.env);
    const metricsPort = stringOption(args.values, 'metrics-port');
    const metrics = metricsPort === undefined ? undefined : parseMetricsAddress(metricsPort, NAME);
    const recoverGaps = flag(args.values, 'recover-gaps');
    if (recoverGaps && !settings.backfill) {
      throw new UsageError('--recover-gaps needs --backfill (auto or N minutes).', NAME);
    }
    const extra: ExtraOptions = {
      recoverGaps,
      clock: flag(args.values, 'emulator-clock') ? await emulatorClock(baseUrl) : ctx.clock,
    };
    return runStream(ctx, settings, { token, baseUrl, proxy }, metrics, extra);
  },
};

/** Flags of `birdstream stream` read besides the stream settings. */
interface ExtraOptions {
  recoverGaps: boolean;
  /** The clock of the stream, its progress and its stats. */
  clock: Clock;
}

/** The other end in messages: X for X's API, else the host of `--base-url` (an emulator is not X). */
function serverName(baseUrl: string): string {
  const { host } = new URL(baseUrl);
  return /(^|\.)(x|twitter)\.com$/i.test(host) ? 'X' : host;
}

async function runStream(
  ctx: CommandContext,
  settings: StreamSettings,
  auth: { token: string; baseUrl: string; proxy: CliProxy | undefined },
  metricsAddress: MetricsAddress | undefined,
  extra: ExtraOptions,
): Promise<number> {
  const endpoint: MetricsEndpoint | undefined =
    metricsAddress === undefined ? undefined : await startMetricsEndpoint(ctx, metricsAddress);
  try {
    return await streamTo(ctx, settings, auth, endpoint, extra);
  } finally {
    await endpoint?.close();
  }
}

async function streamTo(
  ctx: CommandContext,
  settings: StreamSettings,
  auth: { token: string; baseUrl: string; proxy: CliProxy | undefined },
  metrics: MetricsEndpoint | undefined,
  extra: ExtraOptions,
): Promise<number> {
  // The stream's time: the system's, or the emulator's with --emulator-clock.
  const { clock } = extra;
  const output = openOutput(settings.output, {
    cwd: ctx.cwd,
    append: settings.append,
    stdout: ctx.stdout,
  });
  const stats = new RunStats(clock);
  const progress = new ProgressReporter({
    stream: ctx.stderr,
    // A line redrawn in place would collide with posts printed to the same terminal.
    tty: ctx.stderrIsTTY && (output.isFile || !ctx.stdoutIsTTY),
    clock,
    stats,
    intervalMs: settings.progressIntervalMs,
    redact: ctx.redact,
  });
  const log = (message: string) => {
    if (!settings.quiet) progress.log(`birdstream: ${message}`);
  };

  let failure: unknown;
  const stop = new AbortController();
  let reason: StopReason | undefined;
  const stopWith = (why: StopReason) => {
    reason ??= why;
    stop.abort();
  };
  const onSignal = () => stopWith('signal');
  if (ctx.signal.aborted) onSignal();
  ctx.signal.addEventListener('abort', onSignal, { once: true });
  // A reader that goes away (`| head`) ends the run normally; a failing disk is an error.
  output.writer.onError((error) => {
    if (isBrokenPipe(error)) return stopWith('output-closed');
    failure ??= new CliError(writeFailure(output.label, error), ExitCode.error);
    stopWith('error');
  });

  const client = new StreamClient({
    bearerToken: auth.token,
    baseUrl: auth.baseUrl,
    clock,
    // Explicit, never 'env': the CLI reads its own environment (run()'s `env`), not process.env.
    proxy: auth.proxy?.url ?? false,
  });
  const endpoint = STREAM_ENDPOINT_TABLE[settings.endpoint].label;
  const server = serverName(auth.baseUrl);
  if (auth.proxy) log(`connecting to ${server} via the proxy ${auth.proxy.origin}.`);
  const options: StreamOptions = {
    signal: stop.signal,
    on: streamEventHandlers(stats, log, endpoint, server),
    firstConnection: {
      maxAttempts: settings.connectAttempts,
      maxElapsedMs: settings.connectTimeoutTotalMs,
      hint: FIRST_CONNECTION_HINT,
    },
    // A proxy refusing its credentials (407, on plain http) will not change its mind: stop at once.
    policy: ({ error }) => (isProxyAuthRefusal(error) ? false : undefined),
  };
  if (settings.backfill) options.backfill = settings.backfill;
  if (extra.recoverGaps) options.recoverGaps = true;
  if (settings.maxRetries !== undefined) options.maxRetries = settings.maxRetries;
  if (settings.maxPosts !== undefined) {
    options.budget = { maxPosts: settings.maxPosts, period: 'run' };
  }

  // One partition (or none) is one stream; several are merged by core's fan-in.
  const [only, ...more] = settings.partitions;
  const stream =
    more.length > 0
      ? client.partitions(
          settings.endpoint as 'firehose',
          { partitions: settings.partitions as never, params: settings.params },
          options,
        )
      : client.stream<Record<string, unknown>>(
          settings.endpoint,
          only === undefined ? settings.params : { ...settings.params, partition: only },
          options,
        );
  stats.attach(stream);
  metrics?.metrics.trackStream(stream, { name: settings.endpoint });
  const timer =
    settings.durationMs === undefined
      ? undefined
      : ctx.clock.setTimeout(() => stopWith('duration'), settings.durationMs);
  if (!settings.quiet) progress.start();

  try {
    for await (const response of stream) {
      const record = settings.flatten
        ? flattenResponse(response as Record<string, unknown>)
        : response;
      if (record !== undefined) {
        const pending = output.writer.write(record, stop.signal);
        if (pending) await pending;
      }
      if (settings.limit !== undefined && stats.posts >= settings.limit) {
        stopWith('limit');
        break;
      }
      if (stop.signal.aborted) break;
    }
  } catch (error) {
    if (isBudgetExhaustedError(error)) {
      // --max-posts: core delivered the last post and closed the connection; a clean stop.
      reason ??= 'max-posts';
    } else {
      // A failing output was handled by its listener; anything else ends the run with this error.
      if (!output.writer.error && !stop.signal.aborted) {
        failure ??= isFirstConnectionError(error)
          ? new CliError(describeFirstConnection(error, auth.proxy?.origin), ExitCode.error)
          : isProxyAuthRefusal(error) && auth.proxy
            ? new CliError(
                `The proxy ${auth.proxy.origin} refused its credentials (407 Proxy Authentication Required): check the user and password in --proxy or HTTP_PROXY/HTTPS_PROXY.`,
                ExitCode.error,
              )
            : error;
      }
      reason ??= 'error';
    }
  } finally {
    ctx.signal.removeEventListener('abort', onSignal);
    if (timer !== undefined) ctx.clock.clearTimeout(timer);
    await stream.close();
    progress.stop();
    stats.status = 'closed';
  }

  // After a signal the output gets a grace period; otherwise a slow reader is waited for.
  const grace = new AbortController();
  const graceTimer =
    reason === 'signal'
      ? ctx.clock.setTimeout(() => grace.abort(), SHUTDOWN_FLUSH_GRACE_MS)
      : undefined;
  try {
    await output.writer.end(grace.signal);
  } catch (error) {
    if (!isBrokenPipe(error)) {
      failure ??= new CliError(writeFailure(output.label, error), ExitCode.error);
    }
  } finally {
    if (graceTimer !== undefined) ctx.clock.clearTimeout(graceTimer);
  }
  const unflushed = output.writer.error ? 0 : output.writer.unflushedBytes;
  if (unflushed > 0) {
    ctx.err(
      `birdstream: ${unflushed} bytes could not be flushed to ${output.label} within ${SHUTDOWN_FLUSH_GRACE_MS / 1000} s of the signal (its reader is not reading); they are dropped.`,
    );
  }
  // A summary after a run that did something or was stopped on purpose; not after a failed first connect.
  if (!settings.quiet && (stats.connections > 0 || failure === undefined)) {
    ctx.err(
      streamSummary(stats, reason, output.label, output.writer.linesWritten, ctx.signal.reason),
    );
  }
  if (failure !== undefined) throw failure;
  if (reason === 'signal')
    return ctx.signal.reason === 'SIGTERM' ? ExitCode.terminated : ExitCode.interrupted;
  return ExitCode.ok;
}

/** A 407 answer: on plain http, the proxy itself refused the credentials. */
function isProxyAuthRefusal(error: unknown): boolean {
  return isApiError(error) && error.status === 407;
}

function isBrokenPipe(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED';
}

function writeFailure(label: string, error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  const detail =
    typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
  return `Cannot write to ${label}: ${detail}.`;
}
