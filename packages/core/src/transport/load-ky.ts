/** The ky module, as `import('ky')` gives it. */
export type KyModule = typeof import('ky');

let loading: Promise<KyModule> | undefined;

/**
 * ky, imported on first use rather than with core: evaluating ky's module
 * loads Node's fetch implementation (undici, about 8 MB of memory and tens of
 * milliseconds), which a stream on the Node transport never needs. The REST
 * clients and the fetch transport call this on their first request.
 */
export function loadKy(): Promise<KyModule> {
  loading ??= import('ky');
  return loading;
}

/**
 * Loads what the REST clients (RulesClient, SubscriptionsClient,
 * ConnectionsClient, UsageClient) need ahead of their first request. They
 * load it by themselves when constructed; call this only in tests that
 * install fake timers before the first request (module loading is real I/O,
 * which fake timers do not advance).
 *
 * @example
 * ```ts
 * beforeAll(() => preloadRestClients());
 * beforeEach(() => vi.useFakeTimers());
 * ```
 */
export async function preloadRestClients(): Promise<void> {
  await loadKy();
}
