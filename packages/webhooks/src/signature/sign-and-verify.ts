import { parseSignatureHeader } from './signature-header.js';
import { type ConsumerSecretOption, WebhookSecrets } from './webhook-secrets.js';

/**
 * The CRC answer for `crcToken`: `sha256=` + base64(HMAC-SHA256(consumerSecret,
 * crcToken)), the `response_token` X expects in `{"response_token": …}`.
 * `WebhookReceiver` answers CRCs itself; this is for a server of your own.
 *
 * @example
 * ```ts
 * const token = new URL(request.url).searchParams.get('crc_token');
 * return Response.json({ response_token: await crcResponseToken(secret, token) });
 * ```
 */
export function crcResponseToken(consumerSecret: string, crcToken: string): Promise<string> {
  return new WebhookSecrets(consumerSecret).crcResponseToken(crcToken);
}

/**
 * The `x-twitter-webhooks-signature` value X sends with `body`: `sha256=` +
 * base64(HMAC-SHA256(consumerSecret, body)). For tests of your own handler.
 *
 * @example
 * ```ts
 * const body = JSON.stringify({ data: { id: '1', text: 'hi' }, matching_rules: [] });
 * await fetch(url, { method: 'POST', body, headers: { 'x-twitter-webhooks-signature': await signWebhookBody(secret, body) } });
 * ```
 */
export function signWebhookBody(
  consumerSecret: string,
  body: Uint8Array | string,
): Promise<string> {
  return new WebhookSecrets(consumerSecret).sign(body);
}

/**
 * Whether `signatureHeader` is X's signature of exactly these `body` bytes
 * under one of the secrets (compared in constant time). Give the raw bytes
 * as received, before any JSON parsing: a re-serialised body never verifies.
 *
 * @example
 * ```ts
 * const body = new Uint8Array(await request.arrayBuffer());
 * if (!(await verifyWebhookSignature(secret, body, request.headers.get('x-twitter-webhooks-signature')))) {
 *   return new Response(null, { status: 401 });
 * }
 * ```
 */
export async function verifyWebhookSignature(
  consumerSecret: ConsumerSecretOption,
  body: Uint8Array | string,
  signatureHeader: string | null | undefined,
): Promise<boolean> {
  const signature = parseSignatureHeader(signatureHeader);
  if (signature === undefined) return false;
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  return (await new WebhookSecrets(consumerSecret).verify(bytes, signature)) !== -1;
}
