import { STREAM_ENDPOINTS, type StreamEndpointName } from '@birdstream/core';

/**
 * The request URL a connection will use, for the `connecting` event (it is
 * known only after `connect()` resolves otherwise). It mirrors how core's
 * `StreamClient.connect()` serialises parameters — lists joined by commas,
 * duplicates and empty values dropped, `backfill_minutes` replaced — and the
 * source tests check it against the URL actually requested.
 */
export function streamUrl(
  baseUrl: string,
  endpoint: StreamEndpointName,
  params: object,
  backfillMinutes: number | undefined,
): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) {
      if (value.length > 0) search.set(key, [...new Set(value.map(String))].join(','));
    } else {
      search.set(key, String(value));
    }
  }
  if (backfillMinutes !== undefined) search.set('backfill_minutes', String(backfillMinutes));
  const query = search.toString().replace(/%2C/g, ',');
  return `${baseUrl}${STREAM_ENDPOINTS[endpoint]}${query ? `?${query}` : ''}`;
}
