import {
  STREAM_ENDPOINT_NAMES,
  STREAM_ENDPOINT_TABLE,
  type StreamEndpointInfo,
  type StreamEndpointName,
} from '@birdstream/core';

/**
 * The emulator's stream routes: exactly the rows of core's endpoint table
 * (`STREAM_ENDPOINT_TABLE`), by path. The emulator keeps no list of streams of
 * its own, so a row added to the table is served here at once.
 */
const BY_PATH: ReadonlyMap<string, StreamEndpointInfo> = new Map(
  Object.values(STREAM_ENDPOINT_TABLE).map((row: StreamEndpointInfo) => [row.path, row]),
);

/** The endpoint-table row served at `path`, or `undefined`. */
export function streamRouteAt(path: string): StreamEndpointInfo | undefined {
  return BY_PATH.get(path);
}

/** The row of a stream by name (a name from core's table). */
export function streamRow(name: StreamEndpointName): StreamEndpointInfo {
  return STREAM_ENDPOINT_TABLE[name];
}

/** Every stream's name, from core's table. */
export const STREAM_NAMES: readonly StreamEndpointName[] = STREAM_ENDPOINT_NAMES;

/** Every stream path served, in table order. */
export const STREAM_PATHS: readonly string[] = [...BY_PATH.keys()];

/** The row of a Connections API `endpoint_id` (`filtered_stream`), or `undefined`. */
export function streamByConnectionId(connectionId: string): StreamEndpointInfo | undefined {
  return Object.values(STREAM_ENDPOINT_TABLE).find(
    (row: StreamEndpointInfo) => row.connectionId === connectionId,
  );
}
