import { ConfigError } from '../errors/config-error.js';
import {
  findStreamEndpoint,
  STREAM_ENDPOINT_NAMES,
  STREAM_ENDPOINT_TABLE,
  type StreamEndpointName,
} from './endpoint-table.js';
import { toSearchParams } from './query-string.js';

/** A human name for an endpoint, for messages (`filtered stream`). */
export function endpointLabel(endpoint: StreamEndpointName): string {
  return STREAM_ENDPOINT_TABLE[endpoint].label;
}

/** Checks the endpoint name and the parameters X requires for it (from the endpoint table). */
export function checkEndpoint(
  endpoint: string,
  params: object,
): asserts endpoint is StreamEndpointName {
  const row = findStreamEndpoint(endpoint);
  if (row === undefined) {
    throw new ConfigError(
      `Unknown stream endpoint "${endpoint}"; use one of ${STREAM_ENDPOINT_NAMES.join(', ')}.`,
    );
  }
  if (row.partitions !== undefined) {
    const partition = (params as { partition?: unknown }).partition;
    const max = row.partitions.max;
    if (
      typeof partition !== 'number' ||
      !Number.isInteger(partition) ||
      partition < 1 ||
      partition > max
    ) {
      throw new ConfigError(
        `The ${row.label} needs a partition from 1 to ${max}; pass { partition: 1 }.`,
      );
    }
  }
}

/**
 * The full request URL: base, endpoint path and the serialised parameters,
 * with `backfill_minutes` replaced when `backfillMinutes` is given.
 */
export function buildStreamUrl(
  baseUrl: string,
  endpoint: StreamEndpointName,
  params: object,
  backfillMinutes?: number,
): string {
  const search = toSearchParams(params);
  if (backfillMinutes !== undefined) search.set('backfill_minutes', String(backfillMinutes));
  // Commas are legal in a query string; keeping them makes URLs readable in events and logs.
  const query = search.toString().replace(/%2C/g, ',');
  return `${baseUrl}${STREAM_ENDPOINT_TABLE[endpoint].path}${query ? `?${query}` : ''}`;
}
