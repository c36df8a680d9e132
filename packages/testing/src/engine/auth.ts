import { timingSafeEqual } from 'node:crypto';

/** The outcome of checking a request's `Authorization` header. */
export type AuthResult = 'ok' | 'missing' | 'wrong' | 'user-context';

/**
 * Checks `Authorization: Bearer <token>`. With no `expected` token any
 * non-empty bearer token is accepted. OAuth 1.0a (`Authorization: OAuth …`)
 * is user context, which the stream and rules endpoints refuse with 403.
 */
export function checkBearer(
  header: string | null | undefined,
  expected: string | undefined,
): AuthResult {
  if (!header) return 'missing';
  if (/^OAuth\s/i.test(header)) return 'user-context';
  const match = /^Bearer\s+(\S.*)$/i.exec(header.trim());
  if (!match) return 'missing';
  if (expected === undefined) return 'ok';
  const given = Buffer.from(match[1] as string);
  const wanted = Buffer.from(expected);
  return given.length === wanted.length && timingSafeEqual(given, wanted) ? 'ok' : 'wrong';
}
