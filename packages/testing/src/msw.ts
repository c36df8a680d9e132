// The '@birdstream/testing/msw' entry point: msw handlers backed by the
// emulator's engine. Kept apart from index.ts so msw stays an optional peer.

export {
  createXApiHandlers,
  type XApiHandlers,
  type XApiHandlersOptions,
} from './msw/create-handlers.js';
