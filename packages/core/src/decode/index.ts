// Internal barrel of the decoding layer (framing, lossless JSON, message parsing).
// The public subset is re-exported from ../index.ts.

export {
  type Framing,
  FramingDecoder,
  type FramingDecoderOptions,
} from './framing-decoder.js';
export {
  DEFAULT_MAX_MESSAGE_BYTES,
  type Frame,
  LineDecoder,
  type LineDecoderOptions,
} from './line-decoder.js';
export {
  MIN_QUOTED_DIGITS,
  mayHaveBigInteger,
  parseJsonLossless,
  quoteBigIntegers,
} from './lossless-json.js';
export {
  createMessageParser,
  type MessageParserOptions,
  type ParsedMessage,
  type ValidationMode,
} from './message-parser.js';
export { isOperationalDisconnect } from './operational-disconnect.js';
export {
  type Drift,
  type DriftKind,
  driftOf,
  type ReadResult,
  readTolerantly,
  type TolerantReadOptions,
} from './tolerant-reader.js';
export type { UnrecognizedMessage, UnrecognizedReason } from './unrecognized-message.js';
