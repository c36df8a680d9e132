/**
 * A request to the webhook in the shape every adapter can give cheaply: the
 * web-standard handler builds it from a `Request`, the Node adapters from an
 * `IncomingMessage` without building a `Request`. For an adapter of your own
 * (a serverless platform's event, say), give the raw body bytes as received.
 */
export interface WebhookRequest {
  /** The HTTP method. */
  method: string;
  /**
   * The request target or the whole URL (`/webhooks/x?crc_token=…` or
   * `https://host/webhooks/x?crc_token=…`): only its query is read.
   */
  url: string;
  /** A header's value by lowercase name; `null` or `undefined` when absent. */
  header(name: string): string | null | undefined;
  /**
   * Reads the raw body, at most `limit` bytes: called once, for a POST that
   * carries a well-formed signature header, never for a CRC.
   */
  readBody(limit: number): Promise<BodyRead>;
}

/** The outcome of reading a body. */
export type BodyRead =
  | { kind: 'ok'; bytes: Uint8Array }
  /** More than the limit (by `Content-Length` or while reading): the rest is not read. */
  | { kind: 'too-large' }
  /** The body broke off (the connection closed early, a stream error). */
  | { kind: 'unreadable' }
  /** Something read the body before the handler (body-parsing middleware). */
  | { kind: 'consumed'; by: string };

/** The webhook's answer, for an adapter to send. */
export interface WebhookAnswer {
  status: number;
  headers: Record<string, string>;
  /** JSON text. */
  body: string;
}

/** Joins chunks into one array (the chunk itself when there is one). */
export function concatChunks(chunks: readonly Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/** `Content-Length` as a number, or `undefined` when absent or malformed. */
export function declaredLength(value: string | null | undefined): number | undefined {
  if (typeof value !== 'string' || !/^\s*\d+\s*$/.test(value)) return undefined;
  return Number(value);
}
