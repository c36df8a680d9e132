// '@birdstream/webhooks/hono': the receiver as a Hono handler. Hono runs on Node, Bun, Deno
// and workerd; so does this (no `node:` import, no runtime import of hono).
export { type HonoContextLike, honoWebhook } from './adapters/hono.js';
