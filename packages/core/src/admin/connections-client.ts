import type { Drift } from '../decode/tolerant-reader.js';
import { REST_PATHS, relativePath } from '../endpoints/rest-paths.js';
import { ConfigError } from '../errors/config-error.js';
import type { RestTransport } from '../rest/rest-transport.js';
import type { Problem } from '../schemas/problems.js';
import { type AdminClientOptions, createAdminTransport } from './admin-client-options.js';
import {
  CONNECTION_ENDPOINT_IDS,
  CONNECTION_FIELDS,
  type Connection,
  type ConnectionEndpointId,
  type ConnectionField,
  ConnectionsPage,
  KillConnectionsResponse,
  type KillResult,
} from './admin-schemas.js';

/** Options of `ConnectionsClient.list()`. */
export interface ListConnectionsOptions {
  /** Which connections: open ones, closed ones, or both. @default 'active' */
  status?: 'active' | 'inactive' | 'all';
  /** Only connections to these streams (Connections API ids, such as `filtered_stream`). */
  endpoints?: readonly ConnectionEndpointId[];
  /** Connections per page, 1 to 100. @default 100 */
  maxResults?: number;
  /** The `nextToken` of the previous page. */
  paginationToken?: string;
  /** Fields of each connection. @default every field (so each has its `id`, the UUID to kill it by) */
  fields?: readonly ConnectionField[];
  signal?: AbortSignal;
}

/** One page of connections. */
export interface ConnectionsListPage {
  connections: Connection[];
  /** Pass as `paginationToken` for the next page; `undefined` on the last. */
  nextToken: string | undefined;
  /** Partial errors X reported beside the data. */
  errors: Problem[];
  /**
   * Rows (`['data', 2]`) or fields X sent that could not be read as
   * declared: set aside with their value as sent (the other rows are
   * listed), or coerced. Empty when every row was read as sent.
   */
  drift: Drift[];
}

/** What a kill request did. */
export interface KillSummary {
  /** Connections X terminated. */
  successful: number;
  /** Connections X could not terminate (see `results[].error_message`). */
  failed: number;
  /** One entry per connection X tried to terminate. */
  results: KillResult[];
  /** Problems X reported beside the data. */
  errors: Problem[];
}

const CONNECTIONS = relativePath(REST_PATHS.connections);

/** X accepts at most this many UUIDs per `DELETE /2/connections`. */
const MAX_UUIDS_PER_REQUEST = 100;

/**
 * A client for X's Connections API (September 2025): see which stream
 * connections X counts for your app, and terminate stale ones — the
 * connections of a crashed process that X still counts, which answer every
 * new connect with 429 TooManyConnections until they time out. Streams can
 * do this for you on a 429: see the `reclaimStaleConnections` stream option.
 *
 * @example
 * ```ts
 * import { ConnectionsClient } from '@birdstream/core';
 *
 * const connections = new ConnectionsClient({ bearerToken: process.env.X_BEARER_TOKEN });
 * const { connections: open } = await connections.list({ endpoints: ['filtered_stream'] });
 * for (const c of open) console.log(c.id, c.client_ip, c.connected_at);
 * const { successful } = await connections.killEndpoint('filtered_stream');
 * ```
 */
export class ConnectionsClient {
  readonly #transport: RestTransport;

  constructor(options: AdminClientOptions = {}) {
    this.#transport = createAdminTransport(options);
  }

  /** One page of the app's connections (`GET /2/connections`). */
  async list(options: ListConnectionsOptions = {}): Promise<ConnectionsListPage> {
    const maxResults = options.maxResults ?? 100;
    if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 100) {
      throw new ConfigError(`maxResults must be a whole number from 1 to 100, got ${maxResults}.`);
    }
    const searchParams: Record<string, string> = {
      status: options.status ?? 'active',
      max_results: String(maxResults),
      'connection.fields': (options.fields ?? CONNECTION_FIELDS).join(','),
    };
    if (options.endpoints !== undefined && options.endpoints.length > 0) {
      for (const id of options.endpoints) checkEndpointId(id);
      searchParams.endpoints = [...new Set(options.endpoints)].join(',');
    }
    if (options.paginationToken !== undefined) {
      searchParams.pagination_token = options.paginationToken;
    }
    const { body, drift } = await this.#transport.request(
      {
        method: 'GET',
        path: CONNECTIONS,
        searchParams,
        signal: options.signal,
        operation: 'list the stream connections',
      },
      ConnectionsPage,
    );
    return {
      connections: body.data ?? [],
      nextToken: body.meta?.next_token,
      errors: body.errors ?? [],
      drift,
    };
  }

  /**
   * Every connection matching `options`, page after page. A row that could
   * not be read is left out: use `list()` to see it in `drift`.
   */
  async *listAll(
    options: Omit<ListConnectionsOptions, 'paginationToken'> = {},
  ): AsyncGenerator<Connection, void> {
    let paginationToken: string | undefined;
    do {
      const page = await this.list(
        paginationToken === undefined ? options : { ...options, paginationToken },
      );
      yield* page.connections;
      paginationToken = page.nextToken;
    } while (paginationToken !== undefined);
  }

  /**
   * Terminates every connection of the app, on every stream
   * (`DELETE /2/connections/all`; X allows 25 of these per 15 minutes).
   */
  killAll(options: { signal?: AbortSignal } = {}): Promise<KillSummary> {
    return this.#kill(`${CONNECTIONS}/all`, undefined, 'terminate all stream connections', options);
  }

  /** Terminates the app's connections to one stream (`DELETE /2/connections/{endpoint_id}`). */
  killEndpoint(
    endpointId: ConnectionEndpointId,
    options: { signal?: AbortSignal } = {},
  ): Promise<KillSummary> {
    checkEndpointId(endpointId);
    return this.#kill(
      `${CONNECTIONS}/${endpointId}`,
      undefined,
      `terminate the ${endpointId} connections`,
      options,
    );
  }

  /**
   * Terminates the connections with these UUIDs (`DELETE /2/connections`;
   * more than 100 are sent in several requests).
   */
  async kill(
    uuids: readonly string[],
    options: { signal?: AbortSignal } = {},
  ): Promise<KillSummary> {
    if (
      !Array.isArray(uuids) ||
      uuids.length === 0 ||
      uuids.some((u) => typeof u !== 'string' || u === '')
    ) {
      throw new ConfigError('kill() needs a non-empty array of connection UUIDs (Connection.id).');
    }
    const total: KillSummary = { successful: 0, failed: 0, results: [], errors: [] };
    const unique = [...new Set(uuids)];
    for (let i = 0; i < unique.length; i += MAX_UUIDS_PER_REQUEST) {
      const part = await this.#kill(
        CONNECTIONS,
        { uuids: unique.slice(i, i + MAX_UUIDS_PER_REQUEST) },
        'terminate stream connections by UUID',
        options,
      );
      total.successful += part.successful;
      total.failed += part.failed;
      total.results.push(...part.results);
      total.errors.push(...part.errors);
    }
    return total;
  }

  async #kill(
    path: string,
    json: unknown,
    operation: string,
    options: { signal?: AbortSignal },
  ): Promise<KillSummary> {
    const { body } = await this.#transport.request(
      {
        method: 'DELETE',
        path,
        ...(json === undefined ? {} : { json }),
        signal: options.signal,
        operation,
        effectHint: 'list the connections to see which are still open',
      },
      KillConnectionsResponse,
    );
    return {
      successful: body.data?.successful_kills ?? 0,
      failed: body.data?.failed_kills ?? 0,
      results: body.data?.results ?? [],
      errors: body.errors ?? [],
    };
  }

  /** Serialises without credentials. */
  toJSON(): Record<string, unknown> {
    return { type: 'ConnectionsClient' };
  }
}

function checkEndpointId(id: unknown): asserts id is ConnectionEndpointId {
  if (!(CONNECTION_ENDPOINT_IDS as readonly unknown[]).includes(id)) {
    throw new ConfigError(
      `Unknown Connections API endpoint id "${String(id)}"; use one of ${CONNECTION_ENDPOINT_IDS.join(', ')}.`,
    );
  }
}
