import { ConfigError, SecretScrubber } from '@birdstream/core';
import { readEnvironment } from '@birdstream/core/internal';
import { toBase64 } from './base64.js';
import { timingSafeEqual } from './constant-time.js';
import {
  type FastHmacFactory,
  type HmacKey,
  hmacSha256,
  importHmacKey,
  type KeyedHmac,
} from './hmac.js';
import { SIGNATURE_PREFIX } from './signature-header.js';

/** The environment variable the consumer secret is read from when no `consumerSecret` option is given. */
export const CONSUMER_SECRET_VARIABLE = 'X_CONSUMER_SECRET';

/** One secret, or several while a rotation rolls out: the first answers CRCs, any may verify. */
export type ConsumerSecretOption = string | readonly string[];

const MISSING =
  `No consumer secret: pass the consumerSecret option or set ${CONSUMER_SECRET_VARIABLE} to your X app's API Key Secret (developer portal → your App → Keys and tokens). ` +
  'It is not the bearer token: X signs webhooks with the consumer secret.';

/**
 * The consumer secret(s) of a receiver, as HMAC keys. The secret strings are
 * kept only in a scrubber (to take them out of any text that reaches an
 * error or an event), never in a property that serialises or prints.
 */
export class WebhookSecrets {
  readonly #keys: Promise<HmacKey>[];
  /** One HMAC per secret: Web Crypto, or a faster one once {@link useFasterHmac} has made it. */
  #hmacs: KeyedHmac[];
  #faster = false;
  /** Knows every secret: texts the receiver reports go through it. */
  readonly scrubber: SecretScrubber;

  constructor(
    option: ConsumerSecretOption | undefined,
    env?: Readonly<Record<string, string | undefined>>,
  ) {
    const list = resolveSecrets(option, env);
    this.scrubber = new SecretScrubber();
    for (const secret of list) this.scrubber.add(secret);
    this.#keys = list.map((secret) => importHmacKey(secret));
    // A failure to import surfaces on first use; never as an unhandled rejection now.
    for (const key of this.#keys) key.catch(() => undefined);
    this.#hmacs = this.#keys.map((key) => async (data) => hmacSha256(await key, data));
  }

  /**
   * Computes the HMACs with `factory`'s function for each key (made as soon
   * as the key is imported; Web Crypto until then, and for a key the factory
   * declines). Same bytes, so the same answers: only faster. Once per secrets.
   */
  useFasterHmac(factory: FastHmacFactory): void {
    if (this.#faster) return;
    this.#faster = true;
    this.#hmacs = this.#keys.map((key, i) => {
      const webCrypto = this.#hmacs[i] as KeyedHmac;
      let fast: ((data: Uint8Array | string) => Uint8Array) | undefined;
      key.then(
        (imported) => {
          try {
            fast = factory(imported);
          } catch {
            // This runtime's crypto cannot take a Web Crypto key: Web Crypto stays.
          }
        },
        () => undefined,
      );
      return (data) => (fast === undefined ? webCrypto(data) : fast(data));
    });
  }

  /** How many secrets verify deliveries. */
  get count(): number {
    return this.#keys.length;
  }

  /**
   * The index of the secret whose HMAC of `body` equals `signature` (compared
   * in constant time), or -1. Every secret is tried, so the time taken does
   * not say which one matched.
   */
  async verify(body: Uint8Array, signature: Uint8Array): Promise<number> {
    let matched = -1;
    for (let i = 0; i < this.#keys.length; i++) {
      const expected = await (this.#hmacs[i] as KeyedHmac)(body);
      if (timingSafeEqual(expected, signature) && matched === -1) matched = i;
    }
    return matched;
  }

  /** `sha256=` + base64(HMAC-SHA256(first secret, crcToken)): the CRC's `response_token`. */
  async crcResponseToken(crcToken: string): Promise<string> {
    const digest = await (this.#hmacs[0] as KeyedHmac)(crcToken);
    return SIGNATURE_PREFIX + toBase64(digest);
  }

  /** The `x-twitter-webhooks-signature` value X would send with `body` (first secret). */
  async sign(body: Uint8Array | string): Promise<string> {
    const digest = await (this.#hmacs[0] as KeyedHmac)(body);
    return SIGNATURE_PREFIX + toBase64(digest);
  }

  /** Never the secrets. */
  toJSON(): Record<string, unknown> {
    return { secrets: this.#keys.length };
  }
}

function resolveSecrets(
  option: ConsumerSecretOption | undefined,
  env: Readonly<Record<string, string | undefined>> | undefined,
): string[] {
  const given =
    option === undefined
      ? [readEnvironment(CONSUMER_SECRET_VARIABLE, env)].filter((s) => s !== undefined)
      : typeof option === 'string'
        ? [option]
        : Array.isArray(option)
          ? [...option]
          : undefined;
  if (given === undefined) {
    throw new ConfigError('consumerSecret must be a string or an array of strings.');
  }
  if (given.length === 0) throw new ConfigError(MISSING);
  return given.map((secret, i) => {
    if (typeof secret !== 'string' || secret.trim() === '') {
      throw new ConfigError(
        given.length === 1
          ? MISSING
          : `consumerSecret[${i}] is blank: every secret must be a non-empty string.`,
      );
    }
    // A trailing newline from a file or a secret store is common; X's secret never has whitespace.
    return secret.trim();
  });
}
