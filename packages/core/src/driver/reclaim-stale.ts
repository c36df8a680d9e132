import type { Connection, ConnectionEndpointId, KillResult } from '../admin/admin-schemas.js';
import type { ConnectionsClient } from '../admin/connections-client.js';
import { STREAM_ENDPOINT_TABLE, type StreamEndpointInfo } from '../endpoints/endpoint-table.js';

/** What a driver needs to reclaim: the client, the Connections API id, the rule's inputs. */
export interface ReclaimContext {
  connections: () => ConnectionsClient;
  connectionId: ConnectionEndpointId;
  keep: ((connection: Connection) => boolean) | undefined;
  /**
   * When "this stream" started (epoch ms), if not the time of its first
   * connect: a partition fan-in gives all its partitions the fan-in's start,
   * so one partition never kills a sibling's live connection.
   */
  since?: number | undefined;
}

/** The driver's report of one reclaim: the supervisor's `reclaimed` action without its time. */
export interface ReclaimOutcome {
  killed: KillResult[];
  successful: number;
  kept: number;
  reason: string;
  error?: unknown;
}

/**
 * The Connections API id of the stream a request URL goes to (the endpoint
 * row whose path ends the URL's path, so a base URL with a path prefix
 * works), or `undefined` for a URL of no known stream. For drivers that
 * only see the URL, such as rx's `retryStream`.
 */
export function connectionIdForUrl(url: string): ConnectionEndpointId | undefined {
  let pathname: string;
  try {
    pathname = new URL(url).pathname.replace(/\/+$/, '');
  } catch {
    return undefined;
  }
  for (const row of Object.values(STREAM_ENDPOINT_TABLE) as StreamEndpointInfo[]) {
    if (row.connectionId !== undefined && pathname.endsWith(row.path)) {
      return row.connectionId as ConnectionEndpointId;
    }
  }
  return undefined;
}

/**
 * The rule: an ACTIVE connection of the app to this endpoint is stale — it
 * cannot be this process's and alive — when it connected before this stream
 * started (`since`; this stream has no connection of its own open while it
 * gets a 429, and the connections of its own fan-in or recovery requests
 * opened after it started) and the caller's `keep` does not claim it.
 * Connections without an `id` or a readable `connected_at` are kept: they
 * cannot be proven stale.
 */
export function isStale(
  connection: Connection,
  since: number,
  keep: ((connection: Connection) => boolean) | undefined,
): boolean {
  if (connection.id === undefined || connection.disconnected_at !== undefined) return false;
  const connectedAt = Date.parse(connection.connected_at);
  if (Number.isNaN(connectedAt) || connectedAt >= since) return false;
  return keep?.(connection) !== true;
}

/**
 * Lists the app's active connections to `ctx.connectionId`, kills the stale
 * ones (`isStale`) and reports what it did. Never throws: a listing or kill
 * failure is reported in `error` (the stream then backs off per X's policy).
 */
export async function reclaimStale(
  ctx: ReclaimContext,
  since: number,
  signal: AbortSignal | undefined,
): Promise<ReclaimOutcome> {
  const sinceIso = new Date(since).toISOString();
  const stale: string[] = [];
  let kept = 0;
  try {
    const client = ctx.connections();
    for await (const connection of client.listAll({
      status: 'active',
      endpoints: [ctx.connectionId],
      ...(signal === undefined ? {} : { signal }),
    })) {
      if (isStale(connection, since, ctx.keep)) stale.push(connection.id as string);
      else kept++;
    }
    if (stale.length === 0) {
      return {
        killed: [],
        successful: 0,
        kept,
        reason: `No ${ctx.connectionId} connection is older than this stream (started ${sinceIso}) and not kept; waiting per X's policy.`,
      };
    }
    const summary = await client.kill(stale, signal === undefined ? {} : { signal });
    const killed =
      summary.results.length > 0
        ? summary.results
        : stale.map((uuid) => ({ uuid, success: true }) as KillResult);
    return {
      killed,
      successful: summary.successful,
      kept,
      reason:
        summary.successful > 0
          ? `Killed ${summary.successful} of ${stale.length} ${ctx.connectionId} connection(s) that connected before this stream started (${sinceIso}); reconnecting at once.`
          : `X terminated none of the ${stale.length} stale ${ctx.connectionId} connection(s); waiting per X's policy.`,
    };
  } catch (error) {
    return {
      killed: [],
      successful: 0,
      kept,
      reason: `Could not ${stale.length === 0 ? 'list' : 'kill'} the ${ctx.connectionId} connections (${error instanceof Error ? error.message : String(error)}); waiting per X's policy.`,
      error,
    };
  }
}
