import { type BodyRead, concatChunks, declaredLength } from './webhook-request.js';

/**
 * Reads a web `Request`'s body, at most `limit` bytes: a `Content-Length`
 * above it is refused without reading, and reading stops (the body is
 * cancelled) as soon as the bytes pass it.
 */
export async function readWebBody(request: Request, limit: number): Promise<BodyRead> {
  const declared = declaredLength(request.headers.get('content-length'));
  if (declared !== undefined && declared > limit) return { kind: 'too-large' };
  if (request.bodyUsed) return { kind: 'consumed', by: 'something read the Request body' };
  const body = request.body;
  if (body === null) return { kind: 'ok', bytes: new Uint8Array(0) };
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        reader.cancel().catch(() => undefined);
        return { kind: 'too-large' };
      }
      chunks.push(value);
    }
  } catch {
    return { kind: 'unreadable' };
  }
  return { kind: 'ok', bytes: concatChunks(chunks, total) };
}

/** The neutral request of a web `Request`. */
export function webRequest(request: Request) {
  return {
    method: request.method,
    url: request.url,
    header: (name: string) => request.headers.get(name),
    readBody: (limit: number) => readWebBody(request, limit),
  };
}
