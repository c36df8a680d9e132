import { ConfigError } from '../errors/config-error.js';
import { toSearchParams } from '../params/serialize.js';
import { STREAM_ENDPOINTS, type StreamEndpointName } from '../params/stream-params.js';

/** A human name for an endpoint, for messages (`filtered stream`). */
export function endpointLabel(endpoint: StreamEndpointName): string {
  switch (endpoint) {
    case 'filter':
      return 'filtered stream';
    case 'sample':
      return 'sample stream';
    case 'sample10':
      return 'sample10 stream';
    case 'firehose':
      return 'firehose stream';
  }
}

/** Checks the endpoint name and the parameters X requires for it. */
export function checkEndpoint(
  endpoint: string,
  params: object,
): asserts endpoint is StreamEndpointName {
  if (!Object.hasOwn(STREAM_ENDPOINTS, endpoint)) {
    throw new ConfigError(
      `Unknown stream endpoint "${endpoint}"; use one of ${Object.keys(STREAM_ENDPOINTS).join(', ')}.`,
    );
  }
  if (endpoint === 'sample10' || endpoint === 'firehose') {
    const partition = (params as { partition?: unknown }).partition;
    const max = endpoint === 'sample10' ? 2 : 20;
    if (
      typeof partition !== 'number' ||
      !Number.isInteger(partition) ||
      partition < 1 ||
      partition > max
    ) {
      throw new ConfigError(
        `The ${endpointLabel(endpoint)} needs a partition from 1 to ${max}; pass { partition: 1 }.`,
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
  return `${baseUrl}${STREAM_ENDPOINTS[endpoint]}${query ? `?${query}` : ''}`;
}
