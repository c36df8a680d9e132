import { problemName } from '../errors/problem.js';

/**
 * True when a stream message announces that X is closing the connection:
 * any error with a `disconnect_type`, or whose `type` ends in
 * `/2/problems/operational-disconnect`. The stream reconnects at once then.
 *
 * @example
 * isOperationalDisconnect({ errors: [{ title: 'operational-disconnect', disconnect_type: 'OperationalDisconnect',
 *   type: 'https://api.twitter.com/2/problems/operational-disconnect' }] }) // true
 */
export function isOperationalDisconnect(response: {
  errors?: readonly unknown[] | undefined;
}): boolean {
  const errors = response.errors;
  if (!Array.isArray(errors)) return false;
  for (const error of errors as readonly unknown[]) {
    if (typeof error !== 'object' || error === null) continue;
    const { disconnect_type: disconnectType, type } = error as Record<string, unknown>;
    if (disconnectType !== undefined && disconnectType !== null) return true;
    if (problemName(type) === 'operational-disconnect') return true;
  }
  return false;
}
