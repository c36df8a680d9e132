export { arbitraryCuts, chunksOfSize, concatBytes, everySplit, splitAt } from './chunks.js';
export { fixturePath, readFixtureJson, readFixtureText } from './fixtures.js';
export { flushMicrotasks, ManualClock } from './manual-clock.js';
export { heldResponse, inTurn, type Responder, useMswServer } from './msw-server.js';
export { recordedResponse } from './recorded-response.js';
export {
  type BodyChunk,
  bodyFromChunks,
  type CancelSpy,
  type ControlledBody,
  controlledBody,
  erroringBody,
  neverEndingBody,
  splitBytes,
  streamLine,
} from './stream-body.js';
export { thrownBy } from './thrown-by.js';
