import { createHmac } from 'node:crypto';

/** A consumer secret shaped like X's (50 characters). */
export const SECRET = 'kT9vWq2Lr8sZx3Bn6Mf1Hc7Jd4Pg0Ya5Ue2Ri8To3Wl6Qs9Vk';
/** A second secret, for rotations. */
export const NEXT_SECRET = 'Z3nQ8wP2mL6xR1vB9cT4yH7jK0dF5gS2aE8uI3oN6rW1qY4zX';

/**
 * X's signature of `body` computed with node:crypto, independently of the
 * package's Web Crypto code: `sha256=` + base64(HMAC-SHA256(secret, body)).
 */
export function nodeSignature(body: string | Uint8Array, secret = SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('base64')}`;
}

/** A filtered-stream message for post `id`, as X's webhook would POST it. */
export function postBody(id: string, text = `post ${id}`): string {
  return JSON.stringify({
    data: { id, text, edit_history_tweet_ids: [id] },
    matching_rules: [{ id: '1166916266197536768', tag: 'coffee' }],
  });
}

/** A signed delivery as a web `Request`. */
export function deliveryRequest(
  body: string | Uint8Array,
  options: { signature?: string | null; url?: string; headers?: Record<string, string> } = {},
): Request {
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    ...options.headers,
  };
  const signature = options.signature === undefined ? nodeSignature(body) : options.signature;
  if (signature !== null) headers['x-twitter-webhooks-signature'] = signature;
  return new Request(options.url ?? 'https://example.com/webhooks/x', {
    method: 'POST',
    body: body as BodyInit,
    headers,
  });
}

/** A CRC request. */
export function crcRequest(token: string | undefined): Request {
  const url = new URL('https://example.com/webhooks/x');
  if (token !== undefined) url.searchParams.set('crc_token', token);
  return new Request(url, { method: 'GET' });
}

/** The expected CRC answer, by node:crypto. */
export function nodeCrcToken(token: string, secret = SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(token).digest('base64')}`;
}

/** Status and JSON body of a response. */
export async function read(
  response: Response,
): Promise<{ status: number; json: Record<string, unknown>; text: string }> {
  const text = await response.text();
  return {
    status: response.status,
    json: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
    text,
  };
}

/** Flips bit `bit` of byte `index` of `bytes` (a copy). */
export function flipBit(bytes: Uint8Array, index: number, bit = 0): Uint8Array {
  const copy = new Uint8Array(bytes);
  copy[index] = (copy[index] as number) ^ (1 << bit);
  return copy;
}
