import type { WebhookAnswer } from './webhook-request.js';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' } as const;

/**
 * The webhook's answers. Every body is built from fixed words and numbers
 * only: never the request's body, a header, the CRC token or a secret.
 */
export function answer(status: number, body: Record<string, unknown>): WebhookAnswer {
  return { status, headers: { ...JSON_HEADERS }, body: JSON.stringify(body) };
}

/** 200 to a CRC: `{"response_token":"sha256=…"}` (derived from the token, not the token). */
export function crcAnswer(responseToken: string): WebhookAnswer {
  return answer(200, { response_token: responseToken });
}

/** A refusal or a failure: `{"error": reason, "message": …}`. */
export function errorAnswer(
  status: number,
  reason: string,
  message: string,
  headers: Record<string, string> = {},
): WebhookAnswer {
  const out = answer(status, { error: reason, message });
  Object.assign(out.headers, headers);
  return out;
}

/** Cached: the answers of the hot path cost no allocation beyond the headers. */
const DELIVERED_BODY = JSON.stringify({ status: 'delivered' });
const DUPLICATE_BODY = JSON.stringify({ status: 'duplicate' });
const IGNORED_BODY = JSON.stringify({ status: 'ignored' });

export function deliveredAnswer(): WebhookAnswer {
  return { status: 200, headers: { ...JSON_HEADERS }, body: DELIVERED_BODY };
}

export function duplicateAnswer(): WebhookAnswer {
  return { status: 200, headers: { ...JSON_HEADERS }, body: DUPLICATE_BODY };
}

/** A signed object that is not a post: accepted, reported as `unrecognized`. */
export function ignoredAnswer(): WebhookAnswer {
  return { status: 200, headers: { ...JSON_HEADERS }, body: IGNORED_BODY };
}

/** A web `Response` of an answer. */
export function toResponse(value: WebhookAnswer): Response {
  return new Response(value.body, { status: value.status, headers: value.headers });
}
