import { MIN_SECRET_LENGTH, secretForms } from './secret-forms.js';

/** What a secret is replaced with unless the scrubber is told otherwise. */
export const REDACTED = '[redacted]';

/** Options of `new SecretScrubber()`. */
export interface SecretScrubberOptions {
  /**
   * The text each occurrence of a secret becomes.
   * @default '[redacted]'
   */
  replacement?: string;
}

const MAX_DEPTH = 8;

/**
 * Removes registered secrets (the bearer token) from texts by value: the
 * secret as given, percent-decoded, percent-encoded, and in base64 or
 * base64url, so a proxy or a server that echoes the `Authorization` header
 * back (in a problem's `detail`, an HTML error page, an invalid stream line,
 * an in-band error) cannot carry it into an error, an event, a log or
 * `JSON.stringify` / `inspect` output. `Bearer <token>` becomes
 * `Bearer [redacted]`.
 *
 * Every birdstream package uses this one implementation: `StreamClient`
 * registers its token and scrubs everything a connection reports, the
 * rules client does the same for its requests, and the CLI passes each line
 * of human output through {@link SecretScrubber.scrub}.
 *
 * @example
 * ```ts
 * const scrubber = new SecretScrubber().add(token);
 * logger.warn(scrubber.scrub(text));
 * throw scrubber.scrubError(error);
 * ```
 */
export class SecretScrubber {
  readonly #replacement: string;
  #forms: string[] = [];

  constructor(options: SecretScrubberOptions = {}) {
    this.#replacement = options.replacement ?? REDACTED;
  }

  /** Registers a secret (ignored when `undefined` or shorter than 8 characters). */
  add(secret: string | undefined): this {
    if (secret === undefined || secret.length < MIN_SECRET_LENGTH) return this;
    const forms = new Set([...this.#forms, ...secretForms(secret)]);
    this.#forms = [...forms].sort((a, b) => b.length - a.length);
    return this;
  }

  /** True once a secret is registered. */
  get active(): boolean {
    return this.#forms.length > 0;
  }

  /** `text` with every form of every registered secret replaced. */
  scrub(text: string): string {
    let out = text;
    for (const form of this.#forms) {
      if (out.includes(form)) out = out.split(form).join(this.#replacement);
    }
    return out;
  }

  /** True when `text` holds a form of a registered secret. */
  reveals(text: string): boolean {
    for (const form of this.#forms) if (text.includes(form)) return true;
    return false;
  }

  /**
   * A copy of a JSON-like value (strings, arrays, plain objects) with every
   * string scrubbed; other values are returned as they are. Returns `value`
   * itself when nothing had to change.
   */
  scrubValue<T>(value: T, depth = 0): T {
    if (!this.active) return value;
    if (typeof value === 'string') return this.scrub(value) as T;
    if (depth > MAX_DEPTH || typeof value !== 'object' || value === null) return value;
    if (Array.isArray(value)) {
      let changed = false;
      const out = value.map((item) => {
        const scrubbed = this.scrubValue(item, depth + 1);
        if (scrubbed !== item) changed = true;
        return scrubbed;
      });
      return (changed ? out : value) as T;
    }
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return value;
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const scrubbed = this.scrubValue(item, depth + 1);
      if (scrubbed !== item) changed = true;
      out[this.scrub(key)] = scrubbed;
    }
    return (changed ? out : value) as T;
  }

  /**
   * Scrubs an error in place and returns it: its `message` and `stack`, and
   * every own property (enumerable or not: `detail`, `bodyText`, `problem`,
   * a payload's `raw`, …), then its `cause` chain. A property that cannot be
   * rewritten is removed. Not an error: returned through {@link scrubValue}.
   */
  scrubError<E>(error: E): E {
    if (!this.active) return error;
    if (!(error instanceof Error)) return this.scrubValue(error);
    this.#scrubErrorIn(error, new Set(), 0);
    return error;
  }

  #scrubErrorIn(error: Error, seen: Set<unknown>, depth: number): void {
    if (seen.has(error) || depth > MAX_DEPTH) return;
    seen.add(error);
    for (const key of Reflect.ownKeys(error)) {
      const descriptor = Object.getOwnPropertyDescriptor(error, key);
      if (!descriptor || !('value' in descriptor)) continue;
      const value: unknown = descriptor.value;
      let scrubbed: unknown = value;
      if (value instanceof Error) {
        this.#scrubErrorIn(value, seen, depth + 1);
        continue;
      }
      if (typeof value === 'string' || (typeof value === 'object' && value !== null)) {
        scrubbed = this.scrubValue(value);
      }
      if (scrubbed === value) continue;
      try {
        Object.defineProperty(error, key, { ...descriptor, value: scrubbed });
      } catch {
        Reflect.deleteProperty(error, key);
      }
    }
  }
}
