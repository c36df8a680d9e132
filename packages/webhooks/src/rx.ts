// '@birdstream/webhooks/rx': a receiver's deliveries and lifecycle events as RxJS Observables.
// Its own entry point, so rxjs stays an optional peer dependency (as in '@birdstream/redis/rx').
export { fromWebhook, webhookEvents } from './adapters/rx.js';
