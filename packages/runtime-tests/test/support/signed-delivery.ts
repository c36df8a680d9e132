import { createHmac } from 'node:crypto';
import { expect } from 'vitest';

/** The consumer secret of `scripts/handlers/signed-echo.mjs`. */
export const CONSUMER_SECRET = 'runtime-tests-consumer-secret';

/** X's signature of a body, computed independently of the handler (node:crypto). */
export function signatureOf(body: string | Buffer, secret = CONSUMER_SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('base64')}`;
}

/**
 * Drives a handler that speaks X's webhook protocol at `url`: the CRC
 * challenge, a signed delivery with a 19-digit id, and the same delivery with
 * one bit of the body flipped (refused).
 */
export async function expectSignedDeliveries(url: string): Promise<void> {
  const crc = await fetch(`${url}/webhooks?crc_token=challenge-1`);
  expect(crc.status).toBe(200);
  expect(await crc.json()).toEqual({
    response_token: signatureOf('challenge-1'),
  });

  const body = Buffer.from(
    '{"data":{"id":1234567890123456789,"text":"signed"},"matching_rules":[{"id":"1"}]}',
  );
  const delivered = await fetch(`${url}/webhooks`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-twitter-webhooks-signature': signatureOf(body),
    },
    body,
  });
  expect(delivered.status).toBe(200);
  expect(await delivered.json()).toEqual({ id: '1234567890123456789', idType: 'string' });

  const flipped = Buffer.from(body);
  flipped[20] = (flipped[20] ?? 0) ^ 1;
  const refused = await fetch(`${url}/webhooks`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-twitter-webhooks-signature': signatureOf(body),
    },
    body: flipped,
  });
  expect(refused.status).toBe(401);
}
