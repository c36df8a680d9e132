/** The base URL tests talk to (msw intercepts it; `useMswServer` from test-utils sets msw up). */
export const BASE = 'https://api.x.com';
export const RULES_URL = `${BASE}/2/tweets/search/stream/rules`;
export const COUNTS_URL = `${BASE}/2/tweets/search/stream/rules/counts`;

/** A bearer token that must never show up anywhere. */
export const TOKEN = 'AAAAAAAAAAAAAAAAAAAAAsecret%2Ftoken%3DTESTONLY0123456789';
