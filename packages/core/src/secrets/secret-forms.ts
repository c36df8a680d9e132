/**
 * Shorter secrets are not scrubbed: replacing a short word everywhere would
 * garble every text, and real X bearer tokens are about 110 characters long.
 */
export const MIN_SECRET_LENGTH = 8;

/** Base64 forms shorter than this are not looked for (they could match by chance). */
const MIN_BASE64_LENGTH = 8;

/**
 * The forms in which a secret can come back inside a text: as given,
 * percent-decoded and percent-encoded (X bearer tokens contain `%2F`,
 * `%3D`), and base64 / base64url (a proxy that echoes a Basic or encoded
 * header) — at each of the three byte alignments, so the secret is found
 * inside a longer base64 blob too. Longest first.
 */
export function secretForms(secret: string): string[] {
  const plain = new Set<string>([secret]);
  try {
    plain.add(decodeURIComponent(secret));
  } catch {
    // not percent-encoded: nothing to add
  }
  for (const form of [...plain]) plain.add(encodeURIComponent(form));
  const forms = new Set<string>(plain);
  for (const form of plain) for (const encoded of base64Forms(form)) forms.add(encoded);
  return [...forms]
    .filter((form) => form.length >= MIN_SECRET_LENGTH)
    .sort((a, b) => b.length - a.length);
}

/**
 * The base64 characters that encode `text` alone, whatever came before it:
 * for an offset of 0, 1 or 2 bytes, the characters whose 6 bits all come
 * from `text`. Both alphabets; no padding.
 */
function base64Forms(text: string): string[] {
  const bytes = new TextEncoder().encode(text);
  const out: string[] = [];
  const firstWhole = [0, 2, 3];
  for (let offset = 0; offset < 3; offset++) {
    const padded = new Uint8Array(offset + bytes.length);
    padded.set(bytes, offset);
    const encoded = bytesToBase64(padded);
    const wholeChars = Math.floor((padded.length * 8) / 6);
    const core = encoded.slice(firstWhole[offset], wholeChars);
    if (core.length < MIN_BASE64_LENGTH) continue;
    out.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return out;
}

function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
