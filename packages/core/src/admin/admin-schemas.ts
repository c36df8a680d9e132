import { z } from 'zod';
import { STREAM_ENDPOINT_TABLE, type StreamEndpointName } from '../endpoints/endpoint-table.js';
import { IdString, openEnum, wireObject } from '../schemas/primitives.js';
import { Problem } from '../schemas/problems.js';

/** The Connections API's `endpoint_id` values: one per stream of the endpoint table that X gives one (14; not the Activity stream). */
export const CONNECTION_ENDPOINT_IDS = Object.values(STREAM_ENDPOINT_TABLE).flatMap((row) =>
  'connectionId' in row ? [row.connectionId] : [],
) as readonly ConnectionIdOf<(typeof STREAM_ENDPOINT_TABLE)[StreamEndpointName]>[];

/** The `connectionId` of a row, if it has one. */
type ConnectionIdOf<Row> = Row extends { connectionId: infer Id extends string } ? Id : never;
/** A Connections API `endpoint_id` (`filtered_stream`, `firehose_stream_lang_en`, …). */
export type ConnectionEndpointId = (typeof CONNECTION_ENDPOINT_IDS)[number];

/** `connection.fields` values. */
export const CONNECTION_FIELDS = [
  'client_ip',
  'connected_at',
  'disconnect_reason',
  'disconnected_at',
  'endpoint_name',
  'id',
] as const;
/** One `connection.fields` value. */
export type ConnectionField = (typeof CONNECTION_FIELDS)[number];

/** One stream connection X counts for the app (`GET /2/connections`). */
export const Connection = wireObject({
  /** The connection's UUID (requested with `connection.fields=id`). */
  id: z.string().optional(),
  /**
   * The stream, as a Connections API id. Absent for a stream that has none:
   * an Activity stream connection is listed without it (seen on X's own
   * emulator).
   */
  endpoint_name: openEnum(CONNECTION_ENDPOINT_IDS).optional(),
  connected_at: z.string(),
  client_ip: z.string().optional(),
  disconnected_at: z.string().optional(),
  disconnect_reason: z.string().optional(),
});
export type Connection = z.infer<typeof Connection>;

/** `GET /2/connections` */
export const ConnectionsPage = wireObject({
  data: z.array(Connection).optional(),
  errors: z.array(Problem).optional(),
  meta: wireObject({
    next_token: z.string().optional(),
    result_count: z.number().optional(),
  }).optional(),
});
export type ConnectionsPage = z.infer<typeof ConnectionsPage>;

/** The outcome of killing one connection. */
export const KillResult = wireObject({
  uuid: z.string().optional(),
  success: z.boolean(),
  error_message: z.string().optional(),
});
export type KillResult = z.infer<typeof KillResult>;

/** `DELETE /2/connections/all`, `/2/connections/{endpoint_id}`, `/2/connections` (by UUIDs). */
export const KillConnectionsResponse = wireObject({
  data: wireObject({
    successful_kills: z.number().default(0),
    failed_kills: z.number().default(0),
    results: z.array(KillResult).default([]),
  }).optional(),
  errors: z.array(Problem).optional(),
});

/** One day of usage. */
export const UsageDay = wireObject({ date: z.string(), usage: z.number() });
export type UsageDay = z.infer<typeof UsageDay>;

/** `usage.fields` values. */
export const USAGE_FIELDS = [
  'cap_reset_day',
  'daily_client_app_usage',
  'daily_project_usage',
  'project_cap',
  'project_id',
  'project_usage',
] as const;
/** One `usage.fields` value. */
export type UsageField = (typeof USAGE_FIELDS)[number];

/** `GET /2/usage/tweets`: the project's post reads against its cap. */
export const Usage = wireObject({
  /** Days left until the cap resets. */
  cap_reset_day: z.number().optional(),
  /** Posts the project may read per billing month. */
  project_cap: z.number().optional(),
  project_id: IdString.or(z.number().transform(String)).optional(),
  /** Posts the project read in this billing period. */
  project_usage: z.number().optional(),
  daily_project_usage: wireObject({
    project_id: z.union([z.number(), z.string()]).optional(),
    usage: z.array(UsageDay).default([]),
  }).optional(),
  daily_client_app_usage: z
    .array(
      wireObject({
        client_app_id: z.string().optional(),
        usage: z.array(UsageDay).default([]),
        usage_result_count: z.number().optional(),
      }),
    )
    .optional(),
});
export type Usage = z.infer<typeof Usage>;

export const UsageResponse = wireObject({
  data: Usage.optional(),
  errors: z.array(Problem).optional(),
});
