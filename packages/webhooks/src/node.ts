// '@birdstream/webhooks/node': the receiver in Node servers: node:http, express and fastify.
// Each reads the body as a stream from the IncomingMessage (no Request is built).
export { expressWebhook } from './adapters/express.js';
export {
  type FastifyInstanceLike,
  type FastifyWebhookOptions,
  fastifyWebhook,
} from './adapters/fastify.js';
export { nodeWebhook } from './adapters/node-http.js';
export {
  type NodeRequestLike,
  nodeRequest,
  readNodeBody,
  sendNodeAnswer,
} from './adapters/node-request.js';
