import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type BodyRead,
  concatChunks,
  declaredLength,
  type WebhookAnswer,
  type WebhookRequest,
} from '../receiver/webhook-request.js';

/**
 * What a framework may have left on the request: `body` (express.raw() puts
 * the bytes there, express.json() the parsed object) and `rawBody` (the
 * `verify` hook pattern, Firebase, some platforms).
 */
export type NodeRequestLike = IncomingMessage & {
  body?: unknown;
  rawBody?: unknown;
  _body?: unknown;
};

/** The neutral request of a Node `IncomingMessage`, reading its body as a stream unless a framework already has the bytes. */
export function nodeRequest(req: NodeRequestLike): WebhookRequest {
  return {
    method: req.method ?? 'GET',
    url: req.url ?? '/',
    header: (name) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value.join(', ') : value;
    },
    readBody: (limit) => readNodeBody(req, limit),
  };
}

/**
 * The raw body of a Node request, at most `limit` bytes. Bytes a framework
 * kept (`express.raw()`'s Buffer in `body`, a `rawBody`) are used as they are;
 * a body a parser has turned into an object (express.json()) cannot be
 * verified and is reported as consumed, never re-serialised.
 */
export function readNodeBody(req: NodeRequestLike, limit: number): Promise<BodyRead> {
  const kept = keptBytes(req);
  if (kept !== undefined) {
    return Promise.resolve(
      kept.byteLength > limit ? { kind: 'too-large' } : { kind: 'ok', bytes: kept },
    );
  }
  if (req.body !== undefined || req._body === true || req.readableEnded) {
    return Promise.resolve({
      kind: 'consumed',
      by:
        req.body !== undefined
          ? 'a body parser such as express.json() parsed it'
          : 'the request stream was read before the handler',
    });
  }
  const declared = declaredLength(req.headers['content-length']);
  if (declared !== undefined && declared > limit) return Promise.resolve({ kind: 'too-large' });
  return new Promise((resolve) => {
    const chunks: Uint8Array[] = [];
    let total = 0;
    const finish = (read: BodyRead) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onBroken);
      req.off('aborted', onBroken);
      req.off('close', onClose);
      resolve(read);
    };
    const onData = (chunk: Buffer) => {
      total += chunk.byteLength;
      if (total > limit) {
        // Stop buffering; the answer closes the connection (see sendNodeAnswer).
        req.pause();
        finish({ kind: 'too-large' });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish({ kind: 'ok', bytes: concatChunks(chunks, total) });
    const onBroken = () => finish({ kind: 'unreadable' });
    const onClose = () => {
      if (!req.complete) finish({ kind: 'unreadable' });
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onBroken);
    req.on('aborted', onBroken);
    req.on('close', onClose);
  });
}

function keptBytes(req: NodeRequestLike): Uint8Array | undefined {
  if (req.body instanceof Uint8Array) return req.body;
  if (req.rawBody instanceof Uint8Array) return req.rawBody;
  if (typeof req.rawBody === 'string') return new TextEncoder().encode(req.rawBody);
  return undefined;
}

/**
 * Writes an answer. After a 413 (or any answer sent while the body was not
 * read to its end) the connection is closed, so an oversized body is never
 * drained.
 */
export function sendNodeAnswer(
  req: IncomingMessage,
  res: ServerResponse,
  answer: WebhookAnswer,
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const headers: Record<string, string> = { ...answer.headers };
  if (answer.status === 413 || !req.complete) headers.connection = 'close';
  res.writeHead(answer.status, headers);
  res.end(req.method === 'HEAD' ? undefined : answer.body);
}
