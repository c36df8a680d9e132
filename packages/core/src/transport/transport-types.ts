/**
 * The bytes of a response body, read in batches: `read()` resolves with every
 * chunk that arrived since the previous call (at least one), or `null` once
 * the body ended, and rejects when it failed. One promise per batch, however
 * many chunks and messages it holds.
 */
export interface ByteSource {
  read(): Promise<Uint8Array[] | null>;
  /** Stops reading and releases the socket. Safe to call more than once. */
  cancel(): void;
}

/** The head of a response, as a transport received it. */
export interface TransportResponse {
  readonly status: number;
  /**
   * Response headers: a fetch `Headers`, or (Node transport) a plain object
   * with lower-case names, so that a stream never loads Node's fetch
   * implementation just to hold its headers.
   */
  readonly headers: Headers | Record<string, string>;
  /** The (inflated) body for streaming. Call once. */
  body(): ByteSource;
  /** The body as a fetch `Response`, to read an error body with. Call once, instead of `body()`. */
  toResponse(): Response;
  /** Releases the response without reading it. */
  cancel(): void;
}

/** A request other than a bodiless GET (the REST clients' `fetch` over the Node transport). */
export interface RequestInit_ {
  /** @default 'GET' */
  method?: string;
  body?: Uint8Array | undefined;
}

/**
 * How a stream request is sent. `node` is `node:http`/`node:https` with the
 * client's own agent and zlib; `fetch` is ky over a fetch implementation.
 */
export interface HttpTransport {
  readonly kind: 'node' | 'fetch';
  /**
   * Sends a GET and resolves with the response head (any status; redirects
   * are never followed). Rejects when the request fails or `signal` aborts;
   * aborting `signal` later releases the response and its socket.
   */
  request(
    url: string,
    headers: Record<string, string>,
    signal: AbortSignal,
    init?: RequestInit_,
  ): Promise<TransportResponse>;
  /** Destroys every socket the transport holds. */
  destroy(): void;
}
