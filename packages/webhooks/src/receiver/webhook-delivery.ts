/** One post delivered to the webhook, verified, parsed and not seen before. */
export interface WebhookDelivery<R> {
  /** The post id (the dedupe key). */
  readonly id: string;
  /** The message as the filtered stream would yield it: `{ data, includes, matching_rules }`, typed by the link's fields. */
  readonly response: R;
  /** The body exactly as signed by X (UTF-8 text), to store or queue as is. */
  readonly text: string;
  /** Size of the body in bytes. */
  readonly byteLength: number;
  /** Which consumer secret verified it (0 = the first): watch it during a rotation. */
  readonly secretIndex: number;
  /** Clock time it arrived, epoch ms. */
  readonly receivedAt: number;
}

/**
 * Takes a delivery. The receiver answers X 200 once it returns (or its promise
 * resolves); a throw or a rejection answers 500 and X retries. `signal`
 * aborts when the receiver gives up waiting (`handoffTimeoutMs`) or closes.
 */
export type WebhookConsumer<R> = (
  delivery: WebhookDelivery<R>,
  signal: AbortSignal,
) => void | Promise<void>;
