import { ConfigError } from '@birdstream/core';
import type { Transport } from '../http/transport.js';
import { DeleteRulesResponse, type DeleteSummary } from '../schemas/responses.js';
import { RULES_PATH } from './endpoints.js';
import { checkIds, checkValues } from './inputs.js';
import { type RuleError, toRuleError } from './rule-errors.js';
import type { DeleteAllOptions, DeleteOptions, DeleteTarget } from './types.js';

/** The result of {@link RulesClient.delete} and {@link RulesClient.deleteAll}. */
export interface DeleteRulesResult {
  /** Whether this was a dry run (nothing deleted). */
  dryRun: boolean;
  /** HTTP status (200); 0 when nothing was sent. */
  status: number;
  /** `meta.summary` as X sent it. */
  summary: DeleteSummary;
  /** Every problem X reported (`errors`), typed (for example ids that do not exist). */
  errors: RuleError[];
  /** When X handled the request (`meta.sent`). */
  sent?: string;
}

/** `POST rules {"delete": {"ids": [...]}}` or `{"delete": {"values": [...]}}`. */
export async function deleteRules(
  transport: Transport,
  target: DeleteTarget,
  options: DeleteOptions = {},
): Promise<DeleteRulesResult> {
  const body = deleteBody(target);
  const dryRun = options.dryRun === true;
  const list = 'ids' in body ? body.ids : body.values;
  if (list.length === 0) {
    return { dryRun, status: 0, summary: { deleted: 0, not_deleted: 0 }, errors: [] };
  }
  return send(
    transport,
    { delete: body },
    dryRun ? { dry_run: 'true' } : {},
    dryRun,
    options.signal,
    'delete filtered stream rules',
  );
}

/**
 * `POST rules?delete_all=true` with body `{}`. Refuses without `confirm: true`,
 * even for a dry run: a caller whose `dryRun` flag is wrong must not lose every rule.
 */
export async function deleteAllRules(
  transport: Transport,
  options: DeleteAllOptions = {},
): Promise<DeleteRulesResult> {
  const dryRun = options.dryRun === true;
  if (options.confirm !== true) {
    throw new ConfigError(
      'deleteAll() removes every rule of the app, the filtered stream then delivers nothing and deleted rules cannot be recovered; pass { confirm: true } to do it (also with { dryRun: true }, which only checks).',
    );
  }
  const searchParams: Record<string, string> = { delete_all: 'true' };
  if (dryRun) searchParams.dry_run = 'true';
  return send(
    transport,
    {},
    searchParams,
    dryRun,
    options.signal,
    'delete all filtered stream rules',
  );
}

function deleteBody(target: DeleteTarget): { ids: string[] } | { values: string[] } {
  const given = (target ?? {}) as { ids?: unknown; values?: unknown };
  const hasIds = given.ids !== undefined;
  const hasValues = given.values !== undefined;
  if (hasIds === hasValues) {
    throw new ConfigError(
      'delete() takes either { ids: [...] } or { values: [...] }, not both and not neither.',
    );
  }
  return hasIds
    ? { ids: checkIds(given.ids, 'delete()') }
    : { values: checkValues(given.values, 'delete()') };
}

async function send(
  transport: Transport,
  json: unknown,
  searchParams: Record<string, string>,
  dryRun: boolean,
  signal: AbortSignal | undefined,
  operation: string,
): Promise<DeleteRulesResult> {
  const { status, body } = await transport.request(
    {
      method: 'POST',
      path: RULES_PATH,
      searchParams,
      json,
      signal,
      operation: dryRun ? `${operation} (dry run)` : operation,
    },
    DeleteRulesResponse,
  );
  const result: DeleteRulesResult = {
    dryRun,
    status,
    summary: body.meta.summary,
    errors: (body.errors ?? []).map(toRuleError),
  };
  if (body.meta.sent !== undefined) result.sent = body.meta.sent;
  return result;
}
