const MIN_SECRET_LENGTH = 4;

/**
 * Returns a function that replaces every occurrence of `secret` (as given,
 * percent-decoded and percent-encoded: X bearer tokens contain `%2F`, `%3D`)
 * with `***`. Every line of human output goes through it, so a token echoed
 * back by a proxy, a library or an argument can never reach the terminal.
 */
export function createRedactor(secret: string | undefined): (text: string) => string {
  if (secret === undefined || secret.length < MIN_SECRET_LENGTH) return (text) => text;
  const variants = new Set<string>([secret]);
  try {
    variants.add(decodeURIComponent(secret));
  } catch {
    // not percent-encoded: nothing to add
  }
  variants.add(encodeURIComponent(secret));
  const forms = [...variants]
    .filter((form) => form.length >= MIN_SECRET_LENGTH)
    .sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const form of forms) {
      if (out.includes(form)) out = out.split(form).join('***');
    }
    return out;
  };
}
