import type { BirdstreamMetrics } from '@birdstream/prometheus';
import type { OptionSpec } from '../cli/args.js';
import type { CommandContext } from '../cli/context.js';
import { ExitCode } from '../cli/exit-codes.js';
import { CliError, UsageError } from '../cli/usage-error.js';

/** `--metrics-port`, shared by `birdstream stream` and `birdstream ingest`. */
export const METRICS_PORT_OPTION: OptionSpec = {
  type: 'string',
  value: '<[host:]port>',
  description:
    'serve Prometheus metrics on http://host:port/metrics (all interfaces unless a host is given, e.g. 127.0.0.1:9464; 0 picks a free port)',
};

/** Where `--metrics-port` asks to listen. */
export interface MetricsAddress {
  host: string;
  port: number;
}

/** Parses `9464`, `127.0.0.1:9464` or `[::1]:9464`; throws a `UsageError` otherwise. */
export function parseMetricsAddress(text: string, command: string): MetricsAddress {
  const match = /^(?:(\[[^\]]+\]|[^:]+):)?(\d{1,5})$/.exec(text.trim());
  const port = Number(match?.[2]);
  if (!match || port > 65_535) {
    throw new UsageError(
      `--metrics-port must be a port (0-65535) or host:port, such as 9464 or 127.0.0.1:9464; got '${text}'.`,
      command,
    );
  }
  const host = match[1]?.replace(/^\[|\]$/g, '') ?? '0.0.0.0';
  return { host, port };
}

/** A running `/metrics` endpoint and the collector to track streams with. */
export interface MetricsEndpoint {
  readonly metrics: BirdstreamMetrics;
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Starts the `/metrics` endpoint of `--metrics-port`: a prom-client
 * registry of this process (birdstream's metrics and Node's process
 * metrics), served by `@birdstream/prometheus`'s `serveMetrics`. Both are
 * loaded on use, so commands without the flag never load them. A port that
 * cannot be used ends the command with one line (exit 2).
 */
export async function startMetricsEndpoint(
  ctx: CommandContext,
  address: MetricsAddress,
): Promise<MetricsEndpoint> {
  const [{ BirdstreamMetrics, serveMetrics }, { Registry, collectDefaultMetrics }] =
    await Promise.all([import('@birdstream/prometheus'), import('prom-client')]);
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const metrics = new BirdstreamMetrics({ registry });
  let server: Awaited<ReturnType<typeof serveMetrics>>;
  try {
    server = await serveMetrics(registry, address);
  } catch (error) {
    throw new CliError(
      (error as Error).message.replace('pick a free port', 'pick a free port for --metrics-port'),
      ExitCode.error,
    );
  }
  ctx.err(`birdstream: serving Prometheus metrics on ${server.url}`);
  return { metrics, url: server.url, close: () => server.close() };
}
