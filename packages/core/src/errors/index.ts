export { AbortedError, isAbortedError } from './aborted-error.js';
export { ApiError, type ApiErrorInit, isApiError } from './api-error.js';
export * from './api-error-subclasses.js';
export {
  BirdstreamError,
  type BirdstreamErrorCode,
  isBirdstreamError,
} from './birdstream-error.js';
export type { FailureKind } from './classify-failure.js';
export { ConfigError, isConfigError } from './config-error.js';
export { ConnectionError, isConnectionError } from './connection-error.js';
export { createApiError } from './create-api-error.js';
export {
  isPayloadError,
  PayloadError,
  type PayloadErrorDetails,
  type PayloadErrorKind,
  type PayloadIssue,
  toPayloadIssues,
} from './payload-error.js';
export type { ProblemDetails } from './problem.js';
export { isStallError, StallError } from './stall-error.js';
