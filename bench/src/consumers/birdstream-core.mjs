// @ts-check
/**
 * birdstream core as a user writes it: `client.filter(params, options)` and
 * a `for await` loop, with the client's defaults (gzip asked for unless the
 * scenario is identity). `BENCH_VALIDATE` picks `validate` ('off' by default).
 */
import { StreamClient } from '@birdstream/core';

/**
 * @param {'off' | 'strict' | 'tolerant'} validate
 * @returns {import('../consumer.mjs').Adapter}
 */
export function birdstreamCore(validate) {
  return async ({ baseUrl, params, bearerToken, gzip, onMessage, signal }) => {
    const client = new StreamClient({ bearerToken, baseUrl, compression: gzip });
    const stream = client.filter(params, { validate, maxRetries: 0, signal });
    let invalid = 0;
    stream.on('payload-invalid', () => {
      invalid++;
    });
    stream.on('unrecognized', () => {
      invalid++;
    });
    for await (const response of stream) onMessage(response);
    if (invalid > 0 && !signal.aborted) {
      throw new Error(`${invalid} payload-invalid or unrecognized events`);
    }
  };
}

export default birdstreamCore('off');
