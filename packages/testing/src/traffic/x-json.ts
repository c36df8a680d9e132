const ASTRAL = /[\u{10000}-\u{10FFFF}]/gu;

function escapeAstral(char: string): string {
  const code = char.codePointAt(0) as number;
  const offset = code - 0x10000;
  const high = 0xd800 + (offset >> 10);
  const low = 0xdc00 + (offset & 0x3ff);
  return `\\u${high.toString(16).toUpperCase()}\\u${low.toString(16).toUpperCase()}`;
}

/**
 * Serialises a message the way X does: compact UTF-8 JSON in which
 * characters outside the BMP (most emoji) are escaped as UTF-16 surrogate
 * pairs (`\uD83E\uDD41`) while other non-ASCII characters stay raw (`’`, CJK).
 * With `escapeNonBmp: false` every character is sent raw, so 4-byte UTF-8
 * sequences reach the client (useful to test decoders).
 */
export function toXJson(value: unknown, escapeNonBmp = true): string {
  const json = JSON.stringify(value);
  return escapeNonBmp ? json.replace(ASTRAL, escapeAstral) : json;
}
