import { CONNECTION_FIELDS, type StreamEndpointInfo } from '@birdstream/core';
import { invalidRequestProblem, type JsonBody } from './problems.js';
import { streamByConnectionId } from './stream-routes.js';

/** One stream connection as the Connections API sees it. */
interface ConnectionRecord {
  uuid: string;
  /** The emulator's connection number (`stats().connections[].id`). */
  id: number;
  row: StreamEndpointInfo;
  /** The stream (and partition) slot the connection counts against. */
  slot: string;
  clientIp: string;
  /** Emulated epoch ms. */
  connectedAt: number;
  disconnectedAt?: number;
  disconnectReason?: string;
  /** While the server still counts a connection whose client is gone: until when (emulated ms). */
  phantomUntil?: number;
  /** Ends the live connection (`undefined` once it ended). */
  kill?: () => void;
}

/** One `results[]` entry of a kill response. */
interface KillResult {
  uuid: string;
  success: boolean;
  error_message?: string;
}

const iso = (ms: number) => new Date(Math.floor(ms)).toISOString();

/**
 * Every stream connection the emulator accepted, for `GET /2/connections`
 * and the kill calls, and the phantoms: connections whose client vanished
 * without a FIN that the server goes on counting (X answers the next
 * connect 429 TooManyConnections) until they time out or are killed.
 */
export class ConnectionRegistry {
  private readonly records = new Map<number, ConnectionRecord>();

  constructor(
    private readonly now: () => number,
    private readonly newUuid: () => string,
  ) {}

  opened(init: Omit<ConnectionRecord, 'uuid' | 'connectedAt'>): string {
    const uuid = this.newUuid();
    this.records.set(init.id, { ...init, uuid, connectedAt: this.now() });
    return uuid;
  }

  /** The connection ended; with `phantomMs`, the server keeps counting it that long. */
  ended(id: number, reason: string, phantomMs?: number): void {
    const record = this.records.get(id);
    if (!record || record.disconnectedAt !== undefined) return;
    record.kill = undefined;
    if (phantomMs !== undefined) {
      record.phantomUntil = this.now() + phantomMs;
      return;
    }
    record.disconnectedAt = this.now();
    record.disconnectReason = reason;
  }

  /** Phantoms still counted in `slot`; expired ones are closed on the way. */
  phantomsIn(slot: string): number {
    let count = 0;
    for (const record of this.records.values()) {
      if (record.phantomUntil === undefined || record.disconnectedAt !== undefined) continue;
      if (record.phantomUntil <= this.now()) {
        record.disconnectedAt = record.phantomUntil;
        record.disconnectReason = 'timed_out';
        continue;
      }
      if (record.slot === slot) count++;
    }
    return count;
  }

  private active(record: ConnectionRecord): boolean {
    if (record.disconnectedAt !== undefined) return false;
    if (record.phantomUntil !== undefined && record.phantomUntil <= this.now()) {
      record.disconnectedAt = record.phantomUntil;
      record.disconnectReason = 'timed_out';
      return false;
    }
    return true;
  }

  /** `GET /2/connections`: `status` (active, inactive, all), `endpoints`, `max_results`, `connection.fields`. */
  list(search: URLSearchParams): { status: number; body: JsonBody } {
    const status = search.get('status') ?? 'active';
    if (!['active', 'inactive', 'all'].includes(status))
      return bad(
        'status',
        status,
        'The `status` query parameter value [%] is not one of [active,inactive,all]',
      );
    const endpoints = search.get('endpoints')?.split(',').filter(Boolean);
    for (const e of endpoints ?? [])
      if (!streamByConnectionId(e))
        return bad(
          'endpoints',
          e,
          'The `endpoints` query parameter value [%] is not a streaming endpoint',
        );
    const fieldsRaw = search.get('connection.fields');
    const fields = new Set<string>(fieldsRaw ? fieldsRaw.split(',') : CONNECTION_FIELDS);
    for (const f of fields)
      if (!(CONNECTION_FIELDS as readonly string[]).includes(f))
        return bad(
          'connection.fields',
          f,
          `The \`connection.fields\` query parameter value [%] is not one of [${CONNECTION_FIELDS.join(',')}]`,
        );
    const max = Number(search.get('max_results') ?? 100);
    if (!Number.isInteger(max) || max < 1 || max > 100)
      return bad(
        'max_results',
        String(search.get('max_results')),
        'The `max_results` query parameter value [%] is not between 1 and 100',
      );
    const rows = [...this.records.values()]
      .filter((r) => {
        const active = this.active(r);
        return status === 'all' || (status === 'active') === active;
      })
      .filter((r) => !endpoints || endpoints.includes(r.row.connectionId ?? ''))
      .slice(0, max)
      .map((r) => {
        const all: Record<string, unknown> = {
          id: r.uuid,
          endpoint_name: r.row.connectionId,
          connected_at: iso(r.connectedAt),
          client_ip: r.clientIp,
          disconnected_at: r.disconnectedAt === undefined ? undefined : iso(r.disconnectedAt),
          disconnect_reason: r.disconnectReason,
        };
        // endpoint_name and connected_at are required by the schema: always sent.
        return Object.fromEntries(
          Object.entries(all).filter(
            ([k, v]) =>
              v !== undefined && (fields.has(k) || k === 'endpoint_name' || k === 'connected_at'),
          ),
        );
      });
    const body: JsonBody = rows.length > 0 ? { data: rows } : {};
    body.meta = { result_count: rows.length };
    return { status: 200, body };
  }

  /** `DELETE /2/connections/all`. */
  killAll(): JsonBody {
    return this.killSet(
      [...this.records.values()].filter((r) => this.active(r)),
      [],
    );
  }

  /** `DELETE /2/connections/{endpoint_id}`; `undefined` for an unknown endpoint id. */
  killEndpoint(endpointId: string): { status: number; body: JsonBody } {
    if (!streamByConnectionId(endpointId))
      return bad(
        'endpoint_id',
        endpointId,
        'The `endpoint_id` path parameter value [%] is not a streaming endpoint',
      );
    const body = this.killSet(
      [...this.records.values()].filter((r) => this.active(r) && r.row.connectionId === endpointId),
      [],
    );
    return { status: 200, body };
  }

  /** `DELETE /2/connections` with `{"uuids": [...]}` (1 to 100). */
  killUuids(text: string): { status: number; body: JsonBody } {
    let uuids: unknown;
    try {
      uuids = (JSON.parse(text) as { uuids?: unknown }).uuids;
    } catch {
      uuids = undefined;
    }
    if (
      !Array.isArray(uuids) ||
      uuids.length < 1 ||
      uuids.length > 100 ||
      uuids.some((u) => typeof u !== 'string')
    )
      return bad(
        'uuids',
        String(text).slice(0, 200),
        'The body must be {"uuids": [...]} with 1 to 100 connection UUIDs',
      );
    const byUuid = new Map([...this.records.values()].map((r) => [r.uuid, r]));
    const found: ConnectionRecord[] = [];
    const missing: KillResult[] = [];
    for (const uuid of new Set(uuids as string[])) {
      const record = byUuid.get(uuid);
      if (record && this.active(record)) found.push(record);
      else
        missing.push({
          uuid,
          success: false,
          error_message: record ? 'Connection is not active' : 'Connection not found',
        });
    }
    return { status: 200, body: this.killSet(found, missing) };
  }

  private killSet(records: ConnectionRecord[], failed: KillResult[]): JsonBody {
    const results: KillResult[] = [];
    for (const record of records) {
      const kill = record.kill;
      record.disconnectedAt = this.now();
      record.disconnectReason = 'operator_disconnect';
      record.phantomUntil = undefined;
      record.kill = undefined;
      kill?.();
      results.push({ uuid: record.uuid, success: true });
    }
    results.push(...failed);
    return {
      data: { successful_kills: records.length, failed_kills: failed.length, results },
    };
  }
}

function bad(
  parameter: string,
  value: string,
  message: string,
): { status: number; body: JsonBody } {
  return {
    status: 400,
    body: invalidRequestProblem([
      { parameters: { [parameter]: [value] }, message: message.replace('%', value) },
    ]),
  };
}
