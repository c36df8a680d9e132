import { createHmac, randomBytes } from 'node:crypto';
import { readFixtureText } from '@birdstream/test-utils';
import { describe, expect, test } from 'vitest';
import {
  crcResponseToken,
  signWebhookBody,
  verifyWebhookSignature,
  WebhookReceiver,
} from '../src/index.js';
import { timingSafeEqual } from '../src/signature/constant-time.js';
import { parseSignatureHeader } from '../src/signature/signature-header.js';
import {
  crcRequest,
  deliveryRequest,
  flipBit,
  NEXT_SECRET,
  nodeCrcToken,
  nodeSignature,
  read,
  SECRET,
} from './support/deliveries.js';

const RECORDED = readFixtureText('stream/twarc-csv/msg_00_tweet_1377650090978992134.json');

function receiver(secret: string | string[] = SECRET) {
  const delivered: string[] = [];
  const r = new WebhookReceiver({
    consumerSecret: secret,
    onDelivery: ({ id }) => {
      delivered.push(id);
    },
  });
  return { receiver: r, delivered };
}

describe('signatures computed by node:crypto (an independent implementation)', () => {
  test('a recorded post signed by node:crypto is accepted and handed over', async () => {
    const { receiver: r, delivered } = receiver();
    const { status, json } = await read(await r.fetch(deliveryRequest(RECORDED)));
    expect({ status, json }).toEqual({ status: 200, json: { status: 'delivered' } });
    expect(delivered).toEqual(['1377650090978992134']);
  });

  test('every single-bit change of the body is refused with 401', async () => {
    const { receiver: r, delivered } = receiver();
    const body = new TextEncoder().encode(RECORDED);
    const signature = nodeSignature(body);
    // Every bit of a few bytes at the start, the middle and the end.
    for (const index of [0, 1, Math.floor(body.length / 2), body.length - 1]) {
      for (let bit = 0; bit < 8; bit++) {
        const changed = flipBit(body, index, bit);
        const { status, json } = await read(await r.fetch(deliveryRequest(changed, { signature })));
        expect(status, `byte ${index} bit ${bit}`).toBe(401);
        expect(json.error).toBe('bad-signature');
      }
    }
    expect(delivered).toEqual([]);
  });

  test('every single-bit change of the signature is refused with 401', async () => {
    const { receiver: r } = receiver();
    const mac = createHmac('sha256', SECRET).update(RECORDED).digest();
    for (let byte = 0; byte < mac.length; byte += 7) {
      const changed = flipBit(mac, byte, byte % 8);
      const signature = `sha256=${Buffer.from(changed).toString('base64')}`;
      const { status } = await read(await r.fetch(deliveryRequest(RECORDED, { signature })));
      expect(status, `byte ${byte}`).toBe(401);
    }
  });

  test('random bodies: node:crypto signatures verify, signatures of other bodies do not', async () => {
    for (let i = 0; i < 20; i++) {
      const body = randomBytes(1 + ((i * 37) % 500));
      const other = randomBytes(body.length);
      expect(await verifyWebhookSignature(SECRET, body, nodeSignature(body))).toBe(true);
      expect(await verifyWebhookSignature(SECRET, body, nodeSignature(other))).toBe(false);
      expect(await signWebhookBody(SECRET, body)).toBe(nodeSignature(body));
    }
  });

  test('a signature made with another secret is refused', async () => {
    const { receiver: r } = receiver();
    const { status } = await read(
      await r.fetch(deliveryRequest(RECORDED, { signature: nodeSignature(RECORDED, NEXT_SECRET) })),
    );
    expect(status).toBe(401);
  });
});

describe('CRC', () => {
  test('the response_token is sha256= + base64(HMAC-SHA256(secret, crc_token)), as node:crypto computes it', async () => {
    const { receiver: r } = receiver();
    for (const token of ['NzA5Mzk0MTgyOTg5NTkxMzAy', 'a', 'x'.repeat(300), 'ümlaut+/=']) {
      const { status, json } = await read(await r.fetch(crcRequest(token)));
      expect(status).toBe(200);
      expect(json).toEqual({ response_token: nodeCrcToken(token) });
      expect(await crcResponseToken(SECRET, token)).toBe(nodeCrcToken(token));
    }
  });

  test('a GET without crc_token is 400; a token with `{` (a delivery body in disguise) is refused', async () => {
    const { receiver: r } = receiver();
    expect((await read(await r.fetch(crcRequest(undefined)))).json.error).toBe('missing-crc-token');
    // HMAC(secret, token) for this token would be a valid signature of the body it spells.
    const forged = await read(await r.fetch(crcRequest(RECORDED)));
    expect(forged.status).toBe(400);
    expect(forged.json.error).toBe('crc-token-refused');
    expect(forged.text).not.toContain(nodeSignature(RECORDED).slice(7));
  });
});

describe('rotation: several secrets', () => {
  test('either secret verifies; the event says which; CRCs use the first', async () => {
    const indexes: number[] = [];
    const r = new WebhookReceiver({
      consumerSecret: [NEXT_SECRET, SECRET],
      onDelivery: () => undefined,
      on: { verified: (e) => indexes.push(e.secretIndex) },
    });
    const a = await r.fetch(
      deliveryRequest(RECORDED, { signature: nodeSignature(RECORDED, SECRET) }),
    );
    const body = RECORDED.replace('1377650090978992134', '1377650090978992135');
    const b = await r.fetch(deliveryRequest(body, { signature: nodeSignature(body, NEXT_SECRET) }));
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(indexes).toEqual([1, 0]);
    const crc = await read(await r.fetch(crcRequest('abc123')));
    expect(crc.json.response_token).toBe(nodeCrcToken('abc123', NEXT_SECRET));
  });
});

describe('building blocks', () => {
  test('timingSafeEqual compares every byte and the lengths', () => {
    const a = new Uint8Array([1, 2, 3, 4]);
    expect(timingSafeEqual(a, new Uint8Array([1, 2, 3, 4]))).toBe(true);
    expect(timingSafeEqual(a, new Uint8Array([1, 2, 3, 5]))).toBe(false);
    expect(timingSafeEqual(a, new Uint8Array([0, 2, 3, 4]))).toBe(false);
    expect(timingSafeEqual(a, new Uint8Array([1, 2, 3]))).toBe(false);
    expect(timingSafeEqual(new Uint8Array(0), new Uint8Array(0))).toBe(true);
  });

  test('the header parser accepts sha256=<base64 of 32 bytes> only', () => {
    const good = nodeSignature('x');
    expect(parseSignatureHeader(good)).toHaveLength(32);
    expect(parseSignatureHeader(` SHA256=${good.slice(7)} `)).toHaveLength(32);
    for (const bad of [
      undefined,
      null,
      '',
      good.slice(7),
      `sha1=${good.slice(7)}`,
      `sha256=${good.slice(7, -4)}`,
      'sha256=not base64!',
      `sha256=${Buffer.alloc(31).toString('base64')}`,
      `sha256=${Buffer.alloc(33).toString('base64')}`,
    ]) {
      expect(parseSignatureHeader(bad), String(bad)).toBeUndefined();
    }
  });
});
