import {
  type BirdstreamError,
  type Clock,
  ConfigError,
  createMessageParser,
  type FieldParams,
  isBirdstreamError,
  PayloadError,
  STREAM_ENDPOINT_TABLE,
  systemClock,
} from '@birdstream/core';
import { TypedEmitter } from '@birdstream/core/internal';
import type { DedupeClaim, DeliveryDedupeStore } from '../dedupe/dedupe-store.js';
import { MemoryDedupeStore } from '../dedupe/memory-dedupe-store.js';
import type { FastHmacFactory } from '../signature/hmac.js';
import { parseSignatureHeader, SIGNATURE_HEADER } from '../signature/signature-header.js';
import { WebhookSecrets } from '../signature/webhook-secrets.js';
import {
  crcAnswer,
  deliveredAnswer,
  duplicateAnswer,
  errorAnswer,
  ignoredAnswer,
  toResponse,
} from './answers.js';
import { DEFAULT_BUFFER_SIZE, DeliveryIterator } from './delivery-iterator.js';
import { handoffFailure } from './handoff-failure.js';
import { webRequest } from './read-web-body.js';
import {
  DEFAULT_HANDOFF_TIMEOUT_MS,
  DEFAULT_MAX_BODY_BYTES,
  type WebhookReceiverOptions,
  type WebhookResponseFor,
} from './receiver-options.js';
import type { WebhookConsumer, WebhookDelivery } from './webhook-delivery.js';
import {
  type HandoffFailureReason,
  isWebhookError,
  WebhookError,
  type WebhookRejectReason,
} from './webhook-error.js';
import type { WebhookEvent, WebhookEventOf, WebhookEventType } from './webhook-events.js';
import type { WebhookAnswer, WebhookRequest } from './webhook-request.js';
import { emptyWebhookStats, type WebhookStats } from './webhook-stats.js';

type Parser = ReturnType<typeof createMessageParser>;

/**
 * For the Node adapters (not public): has a receiver compute its HMACs with
 * `factory` (node:crypto) rather than Web Crypto. `false` for an object that
 * is not a `WebhookReceiver` (an adapter of `{ handle }` of your own).
 */
export let useFasterHmac: (receiver: object, factory: FastHmacFactory) => boolean;

const decoder = new TextDecoder();

/**
 * Receives X's filtered-stream webhook: answers CRCs, verifies each
 * delivery's `x-twitter-webhooks-signature` on the raw bytes (in constant
 * time, before anything is parsed), bounds the body, parses it with core's
 * lossless JSON into the filtered stream's typed responses, drops posts it
 * has handed over before, hands each new one to your code and answers X 200
 * only once it has been handed over (5xx otherwise, so X retries).
 *
 * Web standard: `receiver.fetch(request)` returns a `Response`, so it runs
 * unchanged on Node 20+, Bun, Deno and workerd (Web Crypto, no `node:`
 * import). Adapters: `@birdstream/webhooks/node` (node:http, express,
 * fastify) and `@birdstream/webhooks/hono`.
 *
 * @example
 * ```ts
 * const receiver = new WebhookReceiver({
 *   consumerSecret: process.env.X_CONSUMER_SECRET,
 *   fields: { 'tweet.fields': ['created_at'], expansions: ['author_id'] },
 *   onDelivery: async ({ response }) => {
 *     await save(response.data.id, response.data.created_at, response.includes.users[0]?.username);
 *   },
 * });
 * export default { fetch: receiver.fetch }; // Bun, Deno, workerd
 * ```
 */
export class WebhookReceiver<const P extends FieldParams = {}>
  implements AsyncIterable<WebhookDelivery<WebhookResponseFor<P>>>
{
  readonly #secrets: WebhookSecrets;
  readonly #parse: Parser;
  readonly #maxBodyBytes: number;
  readonly #handoffTimeoutMs: number;
  readonly #dedupe: DeliveryDedupeStore | undefined;
  readonly #clock: Clock;
  readonly #consumers = new Set<WebhookConsumer<WebhookResponseFor<P>>>();
  readonly #iterators = new Set<DeliveryIterator<WebhookResponseFor<P>>>();
  readonly #events = new TypedEmitter<WebhookEvent>();
  /** Posts being handed over in this process: resolves `true` once handed over, `false` if not. */
  readonly #inFlight = new Map<string, Promise<boolean>>();
  readonly #settling = new Set<Promise<unknown>>();
  readonly #stats: WebhookStats = emptyWebhookStats();
  #closed = false;

  static {
    useFasterHmac = (receiver, factory) => {
      if (!(#secrets in receiver)) return false;
      receiver.#secrets.useFasterHmac(factory);
      return true;
    };
  }

  constructor(options: WebhookReceiverOptions<P> = {}) {
    if (typeof options !== 'object' || options === null) {
      throw new ConfigError('new WebhookReceiver() needs options: { consumerSecret, onDelivery }.');
    }
    this.#secrets = new WebhookSecrets(options.consumerSecret, options.env);
    this.#clock = options.clock ?? systemClock;
    this.#maxBodyBytes = positiveInteger(
      'maxBodyBytes',
      options.maxBodyBytes,
      DEFAULT_MAX_BODY_BYTES,
    );
    this.#handoffTimeoutMs = positiveInteger(
      'handoffTimeoutMs',
      options.handoffTimeoutMs,
      DEFAULT_HANDOFF_TIMEOUT_MS,
    );
    const validate = options.validate ?? 'strict';
    if (validate !== 'strict' && validate !== 'off') {
      throw new ConfigError(`validate must be 'strict' or 'off', got ${String(validate)}.`);
    }
    this.#parse = createMessageParser({ validate });
    this.#dedupe = resolveDedupe(options.dedupe, this.#clock);
    if (options.onDelivery !== undefined) {
      if (typeof options.onDelivery !== 'function') {
        throw new ConfigError(
          'onDelivery must be a function (delivery, signal) => void | Promise<void>.',
        );
      }
      this.#consumers.add(options.onDelivery);
    }
    for (const [type, handler] of Object.entries(options.on ?? {})) {
      if (typeof handler === 'function') {
        this.#events.on(type as WebhookEventType, handler as (event: WebhookEvent) => void);
      }
    }
  }

  /**
   * The web-standard handler: `Request` in, `Response` out. Bound, so it can
   * be passed as is: `Deno.serve(receiver.fetch)`, `export default { fetch: receiver.fetch }`.
   */
  readonly fetch = async (request: Request): Promise<Response> =>
    toResponse(await this.handle(webRequest(request)));

  /**
   * Answers one request given in the neutral {@link WebhookRequest} shape:
   * what the adapters call; use it to write an adapter of your own.
   */
  async handle(request: WebhookRequest): Promise<WebhookAnswer> {
    this.#stats.requests++;
    const method = request.method.toUpperCase();
    if (method === 'POST') return this.#delivery(request);
    if (method === 'GET' || method === 'HEAD') return this.#crc(request);
    return this.#reject(
      'method-not-allowed',
      405,
      'Only GET (CRC) and POST (deliveries) are answered.',
      {
        allow: 'GET, POST',
      },
    );
  }

  /** Adds a consumer of deliveries (as `onDelivery` does); returns a function that removes it. */
  attach(consumer: WebhookConsumer<WebhookResponseFor<P>>): () => void {
    if (typeof consumer !== 'function') throw new ConfigError('attach() needs a function.');
    // A set keeps one entry per function: wrap so the same function attached twice counts twice.
    const entry: WebhookConsumer<WebhookResponseFor<P>> = (delivery, signal) =>
      consumer(delivery, signal);
    this.#consumers.add(entry);
    return () => {
      this.#consumers.delete(entry);
    };
  }

  /**
   * The deliveries as an async iterator: X is answered 200 for a delivery once
   * your loop comes back for the next one. While the loop is busy, up to
   * `bufferSize` wait; past that X is answered 503 and retries. Leaving the
   * loop answers the delivery in hand 503 (X redelivers it).
   *
   * @example
   * ```ts
   * for await (const { response } of receiver.deliveries()) await save(response);
   * ```
   */
  deliveries(
    options: {
      /** Deliveries that may wait for a busy loop. @default 256 */
      bufferSize?: number;
    } = {},
  ): AsyncIterableIterator<WebhookDelivery<WebhookResponseFor<P>>> {
    const bufferSize = positiveInteger('bufferSize', options.bufferSize, DEFAULT_BUFFER_SIZE);
    const iterator = new DeliveryIterator<WebhookResponseFor<P>>((consumer) => {
      const detach = this.attach(consumer);
      return () => {
        detach();
        this.#iterators.delete(iterator);
      };
    }, bufferSize);
    this.#iterators.add(iterator);
    if (this.#closed) iterator.end();
    return iterator;
  }

  [Symbol.asyncIterator](): AsyncIterator<WebhookDelivery<WebhookResponseFor<P>>> {
    return this.deliveries();
  }

  /** Adds a listener; returns a function that removes it. */
  on<K extends WebhookEventType>(
    type: K,
    listener: (event: WebhookEventOf<K>) => void,
  ): () => void {
    return this.#events.on(type, listener);
  }

  /** Counters, as a snapshot. */
  get stats(): WebhookStats {
    return {
      ...this.#stats,
      rejected: { ...this.#stats.rejected },
      handoffFailures: { ...this.#stats.handoffFailures },
      inFlight: this.#inFlight.size,
    };
  }

  /**
   * Stops handing over: later deliveries are answered 503 (X retries them),
   * iterators end after the delivery in hand, and the returned promise
   * resolves once the hand-overs under way have settled.
   */
  async close(): Promise<void> {
    this.#closed = true;
    for (const iterator of [...this.#iterators]) iterator.end();
    while (this.#settling.size > 0) await Promise.allSettled([...this.#settling]);
  }

  /** Never the secrets. */
  toJSON(): Record<string, unknown> {
    return { secrets: this.#secrets.count, closed: this.#closed };
  }

  async #crc(request: WebhookRequest): Promise<WebhookAnswer> {
    const token = crcTokenOf(request.url);
    if (token === undefined || token === '') {
      return this.#reject(
        'missing-crc-token',
        400,
        'A GET must carry crc_token: X sends it to check the webhook (CRC).',
      );
    }
    // A CRC answers HMAC(secret, token): for a token that could be a delivery's body (JSON needs
    // `{`), that would sign a forged delivery. X's tokens are base64 text.
    if (token.includes('{')) {
      return this.#reject(
        'crc-token-refused',
        400,
        'The crc_token was refused: a CRC token is never JSON.',
      );
    }
    const answer = crcAnswer(await this.#secrets.crcResponseToken(token));
    this.#stats.crc++;
    this.#events.emit({ type: 'crc', at: this.#clock.now() });
    return answer;
  }

  async #delivery(request: WebhookRequest): Promise<WebhookAnswer> {
    const header = request.header(SIGNATURE_HEADER);
    if (header === null || header === undefined || header === '') {
      return this.#reject(
        'missing-signature',
        401,
        `The request has no ${SIGNATURE_HEADER} header: only X's signed deliveries are accepted.`,
      );
    }
    const signature = parseSignatureHeader(header);
    if (signature === undefined) {
      return this.#reject(
        'bad-signature',
        401,
        `The ${SIGNATURE_HEADER} header is not sha256=<base64 HMAC-SHA256>.`,
      );
    }
    const read = await request.readBody(this.#maxBodyBytes);
    if (read.kind === 'too-large') {
      return this.#reject(
        'too-large',
        413,
        `The body is larger than maxBodyBytes (${this.#maxBodyBytes} bytes).`,
        {},
        new PayloadError('oversize', {
          byteLength: this.#maxBodyBytes + 1,
          limit: this.#maxBodyBytes,
          message: `A webhook body exceeded maxBodyBytes (${this.#maxBodyBytes} bytes); it was answered 413 and not read further.`,
        }),
      );
    }
    if (read.kind === 'unreadable') {
      return this.#reject('unreadable-body', 400, 'The body could not be read to its end.');
    }
    if (read.kind === 'consumed') {
      return this.#reject(
        'body-consumed',
        500,
        'The raw body was consumed before the webhook handler, so its signature cannot be checked.',
        {},
        new WebhookError(
          'body-consumed',
          500,
          `The raw body was consumed before the webhook handler (${read.by}), so the signature cannot be checked: mount the handler before any body parser (express.json(), a Hono body reader), or give it the raw bytes.`,
        ),
      );
    }
    const body = read.bytes;
    const secretIndex = await this.#secrets.verify(body, signature);
    if (secretIndex === -1) {
      return this.#reject(
        'bad-signature',
        401,
        `The ${SIGNATURE_HEADER} signature does not match the body under any consumer secret.`,
      );
    }
    const at = this.#clock.now();
    this.#stats.verified++;
    if (this.#events.has('verified')) {
      this.#events.emit({ type: 'verified', at, byteLength: body.byteLength, secretIndex });
    }
    const text = decoder.decode(body);
    const parsed = this.#parse({ text, byteLength: body.byteLength });
    if (parsed.type === 'invalid') {
      const { error } = parsed;
      return error.kind === 'invalid-json'
        ? this.#reject('invalid-json', 400, 'The body is not JSON.', {}, error)
        : this.#reject(
            'schema-mismatch',
            400,
            'The body is not a filtered-stream message.',
            {},
            error,
          );
    }
    if (parsed.type !== 'response' || (parsed.response as { data?: unknown }).data === undefined) {
      // A JSON object that is not a post (another product's event on a shared URL, an
      // error-only message, or whatever else the parser does not recognise): reported, accepted.
      this.#stats.unrecognized++;
      this.#events.emit({
        type: 'unrecognized',
        at,
        value: parsed.type === 'response' ? parsed.response : (parsed as { value?: unknown }).value,
      });
      return ignoredAnswer();
    }
    const response = parsed.response as WebhookResponseFor<P>;
    // A webhook delivers the filtered stream's messages: its row's dedupe key (the post id).
    const id = STREAM_ENDPOINT_TABLE.filter.dedupeKey(response);
    if (id === undefined) {
      return this.#reject('no-post-id', 400, 'The message carries no post id (data.id).');
    }
    return this.#handOver({
      id,
      response,
      text,
      byteLength: body.byteLength,
      secretIndex,
      receivedAt: at,
    });
  }

  /** Dedupe, then hand the delivery over and answer when it is (or is not). */
  async #handOver(delivery: WebhookDelivery<WebhookResponseFor<P>>): Promise<WebhookAnswer> {
    const { id } = delivery;
    if (this.#closed) return this.#failed(id, handoffFailure('closed'));
    // The same post being handed over in this process (a second link, a retry after a
    // timeout): wait for that hand-over, then answer as a duplicate or try again.
    for (let pending = this.#inFlight.get(id); pending; pending = this.#inFlight.get(id)) {
      if (await pending) return this.#duplicate(id);
    }
    let handed!: (value: boolean) => void;
    const done = new Promise<boolean>((resolve) => {
      handed = resolve;
    });
    this.#inFlight.set(id, done);
    const finish = (value: boolean) => {
      this.#inFlight.delete(id);
      handed(value);
    };
    let claim: Awaited<ReturnType<DeliveryDedupeStore['claim']>> | undefined;
    if (this.#dedupe !== undefined) {
      try {
        claim = await this.#dedupe.claim(id);
      } catch (error) {
        finish(false);
        return this.#failed(id, handoffFailure('dedupe-unavailable', this.#scrubbed(error)));
      }
      if (claim.status === 'duplicate') {
        finish(true);
        return this.#duplicate(id);
      }
      if (claim.status === 'in-flight') {
        finish(false);
        return this.#failed(id, handoffFailure('in-flight-elsewhere'));
      }
    }
    const newClaim = claim as Extract<DedupeClaim, { status: 'new' }> | undefined;
    const controller = new AbortController();
    const outcome = this.#consume(delivery, controller.signal);
    // Whatever X is answered, the claim follows the consumers: committed once they finish (so a
    // retry after a timeout is a duplicate), released when they fail (so the retry is handed over).
    const settled = outcome.then(
      async () => {
        try {
          await newClaim?.commit();
        } catch (error) {
          this.#events.emit({
            type: 'error',
            at: this.#clock.now(),
            error: new WebhookError(
              'dedupe-unavailable',
              200,
              `Post ${id} was handed over but the dedupe store could not record it; a redelivery of it would be handed over again. Check the store (Redis) connection.`,
              { cause: this.#scrubbed(error) },
            ),
          });
        }
        finish(true);
      },
      async () => {
        try {
          await newClaim?.release();
        } catch {
          // The claim of a shared store expires on its own.
        }
        finish(false);
      },
    );
    this.#settling.add(settled);
    settled.finally(() => this.#settling.delete(settled)).catch(() => undefined);
    const result = await this.#withTimeout(outcome, controller);
    if (result !== undefined) return this.#failed(id, result);
    await settled;
    this.#stats.delivered++;
    this.#stats.lastDeliveryAt = this.#clock.now();
    if (this.#events.has('delivered')) {
      this.#events.emit({ type: 'delivered', at: this.#stats.lastDeliveryAt, id });
    }
    return deliveredAnswer();
  }

  /** Hands the delivery to every consumer; rejects with a `WebhookError`. */
  async #consume(
    delivery: WebhookDelivery<WebhookResponseFor<P>>,
    signal: AbortSignal,
  ): Promise<void> {
    const consumers = [...this.#consumers];
    if (consumers.length === 0) throw handoffFailure('no-consumer');
    try {
      if (consumers.length === 1)
        await (consumers[0] as WebhookConsumer<unknown>)(delivery, signal);
      else await Promise.all(consumers.map((consumer) => consumer(delivery, signal)));
    } catch (error) {
      if (isWebhookError(error) && error.status >= 500) throw error;
      throw handoffFailure('consumer-error', this.#scrubbed(error));
    }
  }

  /** `undefined` once `outcome` resolved; the failure when it rejected or timed out. */
  #withTimeout(
    outcome: Promise<void>,
    controller: AbortController,
  ): Promise<WebhookError | undefined> {
    return new Promise((resolve) => {
      const timer = this.#clock.setTimeout(() => {
        controller.abort();
        resolve(handoffFailure('timeout'));
      }, this.#handoffTimeoutMs);
      outcome.then(
        () => {
          this.#clock.clearTimeout(timer);
          resolve(undefined);
        },
        (error: unknown) => {
          this.#clock.clearTimeout(timer);
          resolve(isWebhookError(error) ? error : handoffFailure('consumer-error', error));
        },
      );
    });
  }

  #duplicate(id: string): WebhookAnswer {
    this.#stats.duplicates++;
    if (this.#events.has('duplicate')) {
      this.#events.emit({ type: 'duplicate', at: this.#clock.now(), id });
    }
    return duplicateAnswer();
  }

  #failed(id: string, error: WebhookError): WebhookAnswer {
    const reason = error.reason as HandoffFailureReason;
    const failures = this.#stats.handoffFailures;
    failures[reason] = (failures[reason] ?? 0) + 1;
    this.#events.emit({
      type: 'handoff-failed',
      at: this.#clock.now(),
      id,
      reason,
      status: error.status,
      error,
    });
    return errorAnswer(
      error.status,
      reason,
      error.message,
      error.status === 503 ? { 'retry-after': '1' } : {},
    );
  }

  #reject(
    reason: WebhookRejectReason,
    status: number,
    message: string,
    headers: Record<string, string> = {},
    error: BirdstreamError = new WebhookError(
      reason,
      status,
      `Webhook request refused (${status}): ${message}`,
    ),
  ): WebhookAnswer {
    const rejected = this.#stats.rejected;
    rejected[reason] = (rejected[reason] ?? 0) + 1;
    if (this.#events.has('rejected')) {
      this.#events.emit({ type: 'rejected', at: this.#clock.now(), reason, status, error });
    }
    return errorAnswer(status, reason, message, headers);
  }

  /** An error from your code or a store, with any secret taken out of its texts. */
  #scrubbed(error: unknown): unknown {
    return isBirdstreamError(error) || error instanceof Error
      ? this.#secrets.scrubber.scrubError(error)
      : error;
  }
}

/** The `crc_token` of a request target or URL, without building a `URL` for a path. */
function crcTokenOf(url: string): string | undefined {
  const query = url.indexOf('?');
  if (query === -1) return undefined;
  const hash = url.indexOf('#', query);
  const search = new URLSearchParams(url.slice(query + 1, hash === -1 ? undefined : hash));
  return search.get('crc_token') ?? undefined;
}

function resolveDedupe(
  option: WebhookReceiverOptions['dedupe'],
  clock: Clock,
): DeliveryDedupeStore | undefined {
  if (option === false) return undefined;
  if (option === undefined || option === true) return new MemoryDedupeStore({ clock });
  if (typeof option === 'object' && option !== null) {
    if (typeof (option as DeliveryDedupeStore).claim === 'function')
      return option as DeliveryDedupeStore;
    return new MemoryDedupeStore({ clock, ...option });
  }
  throw new ConfigError(
    'dedupe must be true, false, the options of MemoryDedupeStore, or a store with claim() (such as RedisDeliveryDedupe).',
  );
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new ConfigError(`${name} must be a positive whole number, got ${String(value)}.`);
  }
  return value;
}
