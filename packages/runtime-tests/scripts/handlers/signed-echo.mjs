// A smoke handler for the runtime harnesses (Bun, Deno, workerd): answers X's CRC challenge and
// accepts a POST only when `x-twitter-webhooks-signature` is `sha256=` + base64 of the
// HMAC-SHA256 of the raw body under the consumer secret (Web Crypto, compared by
// `crypto.subtle.verify`), then parses the body with core's lossless parser. It proves the
// platform pieces a webhook handler needs on each runtime; it is not @birdstream/webhooks.
import { parseJsonLossless } from '@birdstream/core';

const SECRET = 'runtime-tests-consumer-secret';
const encoder = new TextEncoder();
const key = crypto.subtle.importKey(
  'raw',
  encoder.encode(SECRET),
  { name: 'HMAC', hash: 'SHA-256' },
  false,
  ['sign', 'verify'],
);

function fromBase64(text) {
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (request.method === 'GET') {
      const token = url.searchParams.get('crc_token');
      if (token === null) return new Response('crc_token is required', { status: 400 });
      const mac = new Uint8Array(
        await crypto.subtle.sign('HMAC', await key, encoder.encode(token)),
      );
      return Response.json({ response_token: `sha256=${btoa(String.fromCharCode(...mac))}` });
    }
    const raw = new Uint8Array(await request.arrayBuffer());
    const header = request.headers.get('x-twitter-webhooks-signature') ?? '';
    const signature = header.startsWith('sha256=') ? fromBase64(header.slice(7)) : undefined;
    const valid =
      signature !== undefined && (await crypto.subtle.verify('HMAC', await key, signature, raw));
    if (!valid) return new Response('bad signature', { status: 401 });
    const delivery = parseJsonLossless(new TextDecoder().decode(raw));
    return Response.json({ id: delivery.data.id, idType: typeof delivery.data.id });
  },
};
