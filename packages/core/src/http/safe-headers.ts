const HIDDEN = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);

/** Copies response or request headers into a plain object, leaving out credentials. */
export function safeHeaders(headers: Headers | Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  // Duck-typed: naming the global `Headers` would load Node's fetch implementation.
  const entries =
    typeof (headers as Headers).entries === 'function'
      ? (headers as Headers).entries()
      : Object.entries(headers);
  for (const [key, value] of entries) {
    if (!HIDDEN.has(key.toLowerCase())) out[key.toLowerCase()] = value;
  }
  return out;
}
