import { BirdstreamError, isBirdstreamError } from './birdstream-error.js';

/** The options passed to a birdstream function are invalid (for example a missing bearer token). */
export class ConfigError extends BirdstreamError {
  override name = 'ConfigError';

  constructor(message: string) {
    super('config', message);
  }
}

/** True for an {@link ConfigError} (or a subclass), from any copy of birdstream: checks the error's `code`, not `instanceof`. */
export function isConfigError(value: unknown): value is ConfigError {
  return isBirdstreamError(value) && value.code === 'config';
}
