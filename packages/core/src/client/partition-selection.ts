import {
  findStreamEndpoint,
  type STREAM_ENDPOINT_TABLE,
  type StreamEndpointInfo,
  type StreamEndpointName,
} from '../endpoints/endpoint-table.js';
import { checkEndpoint } from '../endpoints/endpoint-url.js';
import { ConfigError } from '../errors/config-error.js';
import type { StreamParamsFor } from '../params/stream-params.js';
import type { PartitionEventHandlers } from './partitioned-stream.js';
import type { StreamOptions } from './stream-options.js';

/** The streams that take a `partition` (from the endpoint table). */
export type PartitionedStreamName = {
  [N in StreamEndpointName]: (typeof STREAM_ENDPOINT_TABLE)[N] extends { partitions: object }
    ? N
    : never;
}[StreamEndpointName];

/** The partition numbers of stream `N` (`1 | 2 | … | 20` for the firehose). */
export type PartitionOf<N extends StreamEndpointName> =
  StreamParamsFor<N> extends {
    partition: infer P;
  }
    ? P
    : never;

/** Which partitions `client.partitions()` opens, and the parameters every one of them gets. */
export interface PartitionSelection<N extends StreamEndpointName, P> {
  /** A list of partitions (each once) or `'all'` (1 to the stream's maximum). */
  partitions: readonly PartitionOf<N>[] | 'all';
  /** The stream's parameters, without `partition`. */
  params?: P;
}

/** Options of `client.partitions()`: a stream's options, with listeners that receive `partition`. */
export interface PartitionedStreamOptions extends Omit<StreamOptions, 'on'> {
  /** Lifecycle event listeners; each event carries the `partition` it came from. */
  on?: PartitionEventHandlers;
}

/**
 * The partition numbers a selection names, checked against the row before
 * any request: each in range, none twice (two connections to one
 * partition would earn a 429), at least one.
 */
export function partitionNumbers(
  row: StreamEndpointInfo,
  selection: { partitions: readonly number[] | 'all' },
): number[] {
  const max = row.partitions?.max;
  if (max === undefined) {
    throw new ConfigError(`The ${row.label} has no partitions; open it with client.stream().`);
  }
  if (typeof selection !== 'object' || selection === null) {
    throw new ConfigError(
      `client.partitions() needs { partitions: [1, 2] } or { partitions: 'all' } for the ${row.label}.`,
    );
  }
  if (selection.partitions === 'all') return Array.from({ length: max }, (_, i) => i + 1);
  if (!Array.isArray(selection.partitions) || selection.partitions.length === 0) {
    throw new ConfigError(
      `Pass at least one partition of the ${row.label} (1 to ${max}), or partitions: 'all'.`,
    );
  }
  const seen = new Set<number>();
  for (const partition of selection.partitions) {
    checkEndpoint(row.name, { partition });
    if (seen.has(partition)) {
      throw new ConfigError(
        `Partition ${partition} of the ${row.label} is listed twice; list each partition once (two connections to one partition earn a 429).`,
      );
    }
    seen.add(partition);
  }
  return [...seen].sort((a, b) => a - b);
}

/**
 * The partition numbers `selection` names for the stream `endpoint`
 * (ascending), checked as `client.partitions()` checks them: a known
 * partitioned stream, each partition in range, none twice, at least one.
 * Throws `ConfigError` naming the valid range otherwise. `@birdstream/rx`
 * and the CLI use it so every fan-in checks alike.
 *
 * @example
 * ```ts
 * resolvePartitions('tweets-compliance', { partitions: 'all' }); // [1, 2, 3, 4]
 * ```
 */
export function resolvePartitions(
  endpoint: string,
  selection: { partitions: readonly number[] | 'all' },
): number[] {
  const row = findStreamEndpoint(endpoint);
  if (row === undefined) {
    checkEndpoint(endpoint, {}); // throws the unknown-endpoint ConfigError
    throw new ConfigError(`Unknown stream endpoint "${endpoint}".`);
  }
  return partitionNumbers(row, selection);
}
