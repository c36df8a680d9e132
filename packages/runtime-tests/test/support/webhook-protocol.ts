import { createHmac } from 'node:crypto';
import { expect } from 'vitest';

/** The consumer secret the runtime tests give the receiver (X_CONSUMER_SECRET, a worker binding). */
export const CONSUMER_SECRET = 'runtime-tests-consumer-secret';

/** A post id past 2^53: only a lossless parser keeps it when the JSON carries it as a number. */
export const POST_ID = '1234567890123456789';
/** `POST_ID` with one bit of its last digit flipped ('9' → '8'): what a tampered body carries. */
export const TAMPERED_ID = '1234567890123456788';
/** A second post, sent last. */
export const SECOND_ID = '1234567890123456790';

/** X's signature of a body, computed independently of the receiver (node:crypto). */
export function signatureOf(body: string | Buffer, secret = CONSUMER_SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('base64')}`;
}

/** A filtered-stream delivery of one post, its id a bare number in the JSON. */
export function deliveryBody(id: string, text: string): Buffer<ArrayBuffer> {
  return Buffer.from(
    `{"data":{"id":${id},"text":${JSON.stringify(text)},"edit_history_tweet_ids":["${id}"]},"matching_rules":[{"id":"1","tag":"runtimes"}]}`,
  );
}

/** A webhook receiver served on some runtime, and what its consumer has had. */
export interface ReceiverUnderTest {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Resolves once the receiver's consumer has had the post `id`. */
  waitForDelivery(id: string): Promise<void>;
  /** The post ids the consumer has had so far, in order, one entry per hand-over. */
  delivered(): string[];
}

async function post(
  url: string,
  body: Buffer<ArrayBuffer>,
  signature: string | undefined,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${url}/webhooks/x`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(signature === undefined ? {} : { 'x-twitter-webhooks-signature': signature }),
    },
    body,
  });
  return { status: response.status, body: await response.json() };
}

/**
 * Drives a receiver as X does, with signatures computed here by node:crypto:
 * the CRC challenge; a signed delivery, answered 200 once the consumer has the
 * post, its 19-digit id intact; the same delivery again (a retry), answered as
 * a duplicate and not handed over; the body with one bit changed, and a body
 * without a signature, refused 401 and not handed over; then a second post.
 * Once the consumer has that one, it has had everything sent before it, so the
 * list of hand-overs is complete.
 */
export async function expectWebhookReceiver(receiver: ReceiverUnderTest): Promise<void> {
  const { url } = receiver;
  const crc = await fetch(`${url}/webhooks/x?crc_token=challenge-1`);
  expect(crc.status).toBe(200);
  expect(await crc.json()).toEqual({ response_token: signatureOf('challenge-1') });

  const noToken = await fetch(`${url}/webhooks/x`);
  expect(noToken.status).toBe(400);
  expect(await noToken.json()).toMatchObject({ error: 'missing-crc-token' });

  const body = deliveryBody(POST_ID, 'signed on the runtime');
  expect(await post(url, body, signatureOf(body))).toEqual({
    status: 200,
    body: { status: 'delivered' },
  });
  await receiver.waitForDelivery(POST_ID);

  expect(await post(url, body, signatureOf(body))).toEqual({
    status: 200,
    body: { status: 'duplicate' },
  });

  const tampered = Buffer.from(body);
  const lastDigit = body.indexOf(POST_ID) + POST_ID.length - 1;
  tampered[lastDigit] = (tampered[lastDigit] ?? 0) ^ 1;
  expect(tampered.toString()).toContain(`"id":${TAMPERED_ID},`);
  expect(await post(url, tampered, signatureOf(body))).toEqual({
    status: 401,
    body: { error: 'bad-signature', message: expect.any(String) },
  });
  expect(await post(url, body, undefined)).toEqual({
    status: 401,
    body: { error: 'missing-signature', message: expect.any(String) },
  });

  const second = deliveryBody(SECOND_ID, 'the second post');
  expect(await post(url, second, signatureOf(second))).toEqual({
    status: 200,
    body: { status: 'delivered' },
  });
  await receiver.waitForDelivery(SECOND_ID);
  expect(receiver.delivered()).toEqual([POST_ID, SECOND_ID]);
}
