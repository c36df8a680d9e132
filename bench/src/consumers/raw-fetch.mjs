// @ts-check
/**
 * Node's built-in `fetch` (undici; it inflates gzip itself), a streaming
 * `TextDecoder`, split on `\r\n`, `JSON.parse`.
 */

/** @type {import('../consumer.mjs').Adapter} */
export default async function rawFetch({ url, bearerToken, gzip, onMessage, signal }) {
  const response = await fetch(url, {
    signal,
    headers: {
      authorization: `Bearer ${bearerToken}`,
      'accept-encoding': gzip ? 'gzip' : 'identity',
    },
  });
  if (response.status !== 200 || !response.body) throw new Error(`HTTP ${response.status}`);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let pending = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      const text = pending + decoder.decode(value, { stream: true });
      let start = 0;
      let end = text.indexOf('\r\n', Math.max(0, pending.length - 1));
      while (end !== -1) {
        if (end > start) onMessage(JSON.parse(text.slice(start, end)));
        start = end + 2;
        end = text.indexOf('\r\n', start);
      }
      pending = start === 0 ? text : text.slice(start);
    }
  } catch (error) {
    if (!signal.aborted) throw error;
  }
}
