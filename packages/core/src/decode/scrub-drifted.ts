import type { SecretScrubber } from '../secrets/secret-scrubber.js';
import { REDACTED } from '../secrets/secret-scrubber.js';
import { parseJsonLossless } from './lossless-json.js';
import type { Drift } from './tolerant-reader.js';
import type { UnrecognizedMessage } from './unrecognized-message.js';

/**
 * Scrubs the bearer token from what a drifted or unrecognized message hands
 * out as sent (set-aside values, the whole unrecognized message), in place.
 * Only when the message's text reveals the token (one `includes` per form):
 * then the values are rewritten through their JSON text, at any depth.
 */
export function scrubDrifted(
  scrubber: SecretScrubber,
  text: string,
  target: Drift[] | UnrecognizedMessage,
): void {
  if (!scrubber.reveals(text)) return;
  if (Array.isArray(target)) {
    for (const drift of target) {
      if ('value' in drift) drift.value = scrubbedCopy(scrubber, drift.value);
    }
    return;
  }
  target.message = scrubbedCopy(scrubber, target.message) as Record<string, unknown>;
}

function scrubbedCopy(scrubber: SecretScrubber, value: unknown): unknown {
  try {
    const json = JSON.stringify(value);
    if (json === undefined) return value;
    return parseJsonLossless(scrubber.scrub(json));
  } catch {
    // Too deep to serialise: nothing of it can be handed out safely.
    return REDACTED;
  }
}
