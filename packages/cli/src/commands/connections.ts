import {
  CONNECTION_ENDPOINT_IDS,
  type Connection,
  type ConnectionEndpointId,
  ConnectionsClient,
  type Drift,
  type KillSummary,
} from '@birdstream/core';
import { flag, type ParsedValues, stringOption } from '../cli/args.js';
import type { CommandContext } from '../cli/context.js';
import { requireToken, resolveBaseUrl } from '../cli/env.js';
import { ExitCode } from '../cli/exit-codes.js';
import { restProxy } from '../cli/proxy.js';
import { UsageError } from '../cli/usage-error.js';
import { parseList } from '../cli/values.js';
import { plural } from '../output/format.js';
import type { Command } from './command.js';

function connectionsClient(
  ctx: CommandContext,
  values: ParsedValues,
  command: string,
): ConnectionsClient {
  const baseUrl = resolveBaseUrl(stringOption(values, 'base-url'), ctx.env);
  return new ConnectionsClient({
    bearerToken: requireToken(ctx.env),
    baseUrl,
    proxy: restProxy(stringOption(values, 'proxy'), ctx.env, baseUrl, command),
  });
}

const ENDPOINTS_OPTION = {
  type: 'string',
  value: '<ids>',
  description: `only these streams, comma-separated Connections API ids (${CONNECTION_ENDPOINT_IDS.slice(0, 3).join(', ')}, …)`,
} as const;

/** `birdstream connections list`: the stream connections X counts for the App. */
export const connectionsListCommand: Command = {
  spec: {
    name: 'connections list',
    summary: 'List the stream connections X counts for the App (Connections API).',
    positionals: [],
    options: {
      endpoints: ENDPOINTS_OPTION,
      status: {
        type: 'string',
        value: '<status>',
        description: 'active (default), inactive or all',
      },
      json: { type: 'boolean', description: 'print the connections as JSON' },
    },
    details: [
      'A connection X still counts after its process died makes every new connect fail with 429 TooManyConnections; `birdstream connections kill` ends it.',
      'A row X sends that cannot be read is not listed: each is named on stderr (and under "unreadable" with --json), the others are listed.',
      'Exit codes: 0 listed, 2 usage, credentials or network error.',
    ],
    examples: [
      'birdstream connections list',
      'birdstream connections list --endpoints filtered_stream --status all --json',
    ],
  },

  async run(ctx, args) {
    const client = connectionsClient(ctx, args.values, 'connections list');
    const status = stringOption(args.values, 'status') ?? 'active';
    if (status !== 'active' && status !== 'inactive' && status !== 'all') {
      throw new UsageError(
        `--status must be active, inactive or all, got '${status}'.`,
        'connections list',
      );
    }
    const endpointsText = stringOption(args.values, 'endpoints');
    const endpoints =
      endpointsText === undefined
        ? undefined
        : parseList(endpointsText, CONNECTION_ENDPOINT_IDS, '--endpoints', 'connections list');
    const connections: Connection[] = [];
    const unreadable: Drift[] = [];
    let paginationToken: string | undefined;
    do {
      const page = await client.list({
        status,
        ...(endpoints ? { endpoints } : {}),
        ...(paginationToken === undefined ? {} : { paginationToken }),
        signal: ctx.signal,
      });
      connections.push(...page.connections);
      unreadable.push(...page.drift.filter((d) => d.kind === 'set-aside'));
      paginationToken = page.nextToken;
    } while (paginationToken !== undefined);
    for (const row of unreadable) ctx.err(describeUnreadable(row));
    if (flag(args.values, 'json')) {
      const out = unreadable.length > 0 ? { connections, unreadable } : { connections };
      ctx.stdout.write(ctx.redact(`${JSON.stringify(out, null, 2)}\n`));
    } else {
      ctx.stdout.write(ctx.redact(formatConnections(connections)));
    }
    return ExitCode.ok;
  },
};

/** `birdstream connections kill`: terminates connections X still counts. */
export const connectionsKillCommand: Command = {
  spec: {
    name: 'connections kill',
    summary: 'Terminate stream connections X still counts (all, one stream, or by UUID).',
    positionals: [
      {
        name: 'uuid',
        description: 'connection UUIDs (from `connections list`); omit with --all or --endpoint',
        required: false,
        variadic: true,
      },
    ],
    options: {
      all: { type: 'boolean', description: 'terminate every connection of the App' },
      endpoint: {
        type: 'string',
        value: '<id>',
        description: 'terminate the connections to one stream (a Connections API id)',
      },
      json: { type: 'boolean', description: 'print the result as JSON' },
    },
    details: [
      'Give exactly one of: UUIDs, --endpoint <id>, or --all. X allows 25 --all requests per 15 minutes.',
      'Exit codes: 0 every connection terminated, 1 some could not be, 2 usage, credentials or network error.',
    ],
    examples: [
      'birdstream connections kill --endpoint filtered_stream',
      'birdstream connections kill 5b0e…-…-… 9a1f…-…-…',
      'birdstream connections kill --all',
    ],
  },

  async run(ctx, args) {
    const all = flag(args.values, 'all');
    const endpoint = stringOption(args.values, 'endpoint');
    const uuids = args.positionals;
    const chosen = [all, endpoint !== undefined, uuids.length > 0].filter(Boolean).length;
    if (chosen !== 1) {
      throw new UsageError(
        'Give exactly one of: connection UUIDs, --endpoint <id>, or --all.',
        'connections kill',
      );
    }
    if (
      endpoint !== undefined &&
      !(CONNECTION_ENDPOINT_IDS as readonly string[]).includes(endpoint)
    ) {
      throw new UsageError(
        `--endpoint: unknown value '${endpoint}'. Valid values: ${CONNECTION_ENDPOINT_IDS.join(', ')}.`,
        'connections kill',
      );
    }
    const client = connectionsClient(ctx, args.values, 'connections kill');
    const options = { signal: ctx.signal };
    const summary = all
      ? await client.killAll(options)
      : endpoint !== undefined
        ? await client.killEndpoint(endpoint as ConnectionEndpointId, options)
        : await client.kill(uuids, options);
    if (flag(args.values, 'json')) {
      ctx.stdout.write(ctx.redact(`${JSON.stringify(summary, null, 2)}\n`));
    } else {
      ctx.stdout.write(ctx.redact(formatKills(summary)));
    }
    return summary.failed > 0 ? ExitCode.invalid : ExitCode.ok;
  },
};

/** One line for a row of the answer that could not be read (it is not in the table). */
function describeUnreadable(drift: Drift): string {
  const [, index, ...rest] = drift.path;
  const what =
    typeof index === 'number' ? `Row ${index + 1} of the answer` : `${drift.path.join('.')}`;
  const field = rest.length > 0 ? ` (${rest.join('.')})` : '';
  return `warning: ${what}${field} could not be read and is not listed: ${drift.detail.replace(/ Set aside: see driftOf\(\)\.$/, '')}`;
}

function formatConnections(connections: readonly Connection[]): string {
  if (connections.length === 0) return 'No connections.\n';
  const rows = connections.map((c) => [
    c.id ?? '-',
    // A stream without a Connections API id (the Activity stream) is listed without one.
    c.endpoint_name ?? '(not named)',
    c.connected_at,
    c.disconnected_at ?? (c.disconnect_reason ? '-' : 'open'),
    c.client_ip ?? '-',
  ]);
  const header = ['ID', 'ENDPOINT', 'CONNECTED', 'DISCONNECTED', 'CLIENT IP'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ');
  return `${[line(header), ...rows.map(line), '', `${plural(connections.length, 'connection')}.`].join('\n')}\n`;
}

function formatKills(summary: KillSummary): string {
  const lines = [`Terminated ${plural(summary.successful, 'connection')}.`];
  if (summary.failed > 0) lines.push(`Could not terminate ${summary.failed}:`);
  for (const r of summary.results) {
    if (!r.success) lines.push(`  ${r.uuid ?? '(no id)'}: ${r.error_message ?? 'no reason given'}`);
  }
  return `${lines.join('\n')}\n`;
}
