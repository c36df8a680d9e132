/**
 * The most of an error body birdstream reads, in bytes. X's problems are a
 * few hundred bytes; a proxy's error page or a misbehaving server could send
 * far more, or stream forever.
 */
export const MAX_ERROR_BODY_BYTES = 64 * 1024;

/**
 * Reads the body of a failed response as text, at most
 * {@link MAX_ERROR_BODY_BYTES} (the rest is cancelled, never buffered). Every
 * birdstream client reads error bodies with it. Rejects when the body errors
 * while being read.
 */
export async function readErrorBody(
  response: Response,
  maxBytes: number = MAX_ERROR_BODY_BYTES,
): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const room = maxBytes - bytes;
    const chunk = value.byteLength > room ? value.subarray(0, room) : value;
    bytes += chunk.byteLength;
    text += decoder.decode(chunk, { stream: true });
    if (bytes >= maxBytes) {
      reader.cancel().catch(() => undefined);
      break;
    }
  }
  return text + decoder.decode();
}
