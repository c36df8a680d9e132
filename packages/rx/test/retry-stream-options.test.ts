import { isConfigError, StreamClient, type SupervisionOptions } from '@birdstream/core';
import { thrownBy } from '@birdstream/test-utils';
import { describe, expect, it } from 'vitest';
import { retryStream } from '../src/index.js';

/**
 * One option contract (issue 19): core's stream options and `retryStream` take the same
 * `SupervisionOptions`, checked by one resolver, so a bad value gives the same `ConfigError`,
 * word for word, in both. (Before, `backfill: 7` gave two different messages.)
 */
const client = new StreamClient({ bearerToken: 'token', baseUrl: 'http://127.0.0.1:9' });

describe('retryStream and core streams share one option contract', () => {
  it.each<[string, SupervisionOptions]>([
    ['backfill 7', { backfill: 7 as never }],
    ['maxRetries -1', { maxRetries: -1 }],
    ['maxRetries 1.5', { maxRetries: 1.5 }],
    ['healthyAfterMs 0', { healthyAfterMs: 0 }],
    ['schedule.networkStepMs -1', { schedule: { networkStepMs: -1 } }],
    ['recoverGaps "yes"', { recoverGaps: 'yes' as never }],
    ['policy 5', { policy: 5 as never }],
    ['random "x"', { random: 'x' as never }],
    ['firstConnection.maxAttempts 0', { firstConnection: { maxAttempts: 0 } }],
    ['firstConnection "yes"', { firstConnection: 'yes' as never }],
    ['reclaimStaleConnections 5', { reclaimStaleConnections: 5 as never }],
    ['reclaimStaleConnections.keep 1', { reclaimStaleConnections: { keep: 1 as never } }],
  ])('%s: the same ConfigError from both', (_, options) => {
    const fromRx = thrownBy(() => retryStream(options));
    const fromCore = thrownBy(() => client.filter({}, options));
    expect(isConfigError(fromRx)).toBe(true);
    expect(isConfigError(fromCore)).toBe(true);
    expect((fromRx as Error).message).toBe((fromCore as Error).message);
  });

  it("says backfill's rule in one sentence", () => {
    expect((thrownBy(() => retryStream({ backfill: 7 as never })) as Error).message).toBe(
      "backfill must be 'auto', a whole number of minutes from 1 to 5, or false, got 7.",
    );
  });

  it('asks rx for a ConnectionsClient to reclaim with (it has no token), where core makes one', () => {
    const error = thrownBy(() => retryStream({ reclaimStaleConnections: true }));
    expect(isConfigError(error)).toBe(true);
    expect((error as Error).message).toMatch(/reclaimStaleConnections: \{ connections/);
    expect(() => client.filter({}, { reclaimStaleConnections: true })).not.toThrow();
  });
});
