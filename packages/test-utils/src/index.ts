export { arbitraryCuts, chunksOfSize, concatBytes, everySplit, splitAt } from './chunks.js';
export { fixturePath, readFixtureJson, readFixtureText } from './fixtures.js';
export { type ForwardProxy, type ProxiedRequest, startForwardProxy } from './forward-proxy.js';
export { flushMicrotasks, ManualClock } from './manual-clock.js';
export { heldResponse, inTurn, type Responder, useMswServer } from './msw-server.js';
export {
  parseScrape,
  type Scrape,
  type ScrapedFamily,
  type ScrapedSample,
  scrape,
} from './prometheus-scrape.js';
export { codeLines, compiledVerbatim, tsBlocks } from './readme-examples.js';
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
export {
  CONTRACT_START,
  type ContractConnection,
  type ContractEnd,
  type ContractEvent,
  type ContractOptions,
  type ContractPolicyContext,
  type ContractRecovery,
  type ContractStep,
  contractEvent,
  mismatchOf,
  SUPERVISION_CONTRACT,
  type SupervisionScenario,
} from './supervision-contract.js';
export {
  type ContractHarness,
  type ContractOpenConnection,
  type ContractRecoveryRequest,
  contractServer,
  driveContract,
} from './supervision-driver.js';
export { thrownBy } from './thrown-by.js';
export { UNTIL_GIVE_UP_MS, until } from './until.js';
