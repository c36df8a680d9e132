import { validateRule } from '@birdstream/rules';
import {
  duplicateRuleProblem,
  type InvalidParameter,
  invalidRequestProblem,
  invalidRuleProblem,
  type JsonBody,
  ruleCapProblem,
  ruleNotFoundProblem,
} from '../engine/problems.js';
import type { Prng } from '../traffic/prng.js';
import type { RuleStore, StoredRule } from './rule-store.js';

/** What the rules endpoints need from the emulator. */
export interface RulesApiContext {
  store: RuleStore;
  /** Emulated epoch ms. */
  now(): number;
  /** A new 19-digit rule id. */
  newId(): string;
  /** Shuffles `data` of add responses (X does not keep the request order). */
  rng: Prng;
  /** Longest rule value accepted. */
  maxRuleLength: number;
  /** Most rules the app may hold. */
  maxRules: number;
  /** `client_app_id` in rule counts. */
  clientAppId: string;
}

/** A JSON answer of the rules endpoints. */
export interface RulesApiResponse {
  status: number;
  body: JsonBody;
  /** True when the stored rules changed. */
  changed?: boolean;
}

const ID = /^[0-9]{1,19}$/;

function sent(ctx: RulesApiContext): string {
  return new Date(ctx.now()).toISOString();
}

function badRequest(errors: InvalidParameter[]): RulesApiResponse {
  return { status: 400, body: invalidRequestProblem(errors) };
}

function toToken(offset: number): string {
  return offset.toString(16).padStart(16, '0');
}

function fromToken(token: string): number | undefined {
  return /^[0-9a-f]{16}$/.test(token) ? Number.parseInt(token, 16) : undefined;
}

/** `GET /2/tweets/search/stream/rules`: all rules, or the ones in `ids`, paginated. */
export function getRules(ctx: RulesApiContext, search: URLSearchParams): RulesApiResponse {
  const errors: InvalidParameter[] = [];
  let rules = ctx.store.list();
  const ids = search.get('ids');
  if (ids !== null) {
    const list = ids.split(',');
    const bad = list.find((id) => !ID.test(id));
    if (bad !== undefined || list.length > 1000) {
      errors.push({
        parameters: { ids: [ids] },
        message:
          bad !== undefined
            ? `The \`ids\` query parameter value [${bad}] does not match ^[0-9]{1,19}$`
            : `size [${list.length}] is not between 1 and 1000`,
      });
    } else {
      const wanted = new Set(list);
      rules = rules.filter((r) => wanted.has(r.id));
    }
  }
  let max = 1000;
  const maxResults = search.get('max_results');
  if (maxResults !== null) {
    max = Number(maxResults);
    if (!/^\d+$/.test(maxResults) || max < 1 || max > 1000) {
      errors.push({
        parameters: { max_results: [maxResults] },
        message: `The \`max_results\` query parameter value [${maxResults}] is not between 1 and 1000`,
      });
    }
  }
  let offset = 0;
  const token = search.get('pagination_token');
  if (token !== null) {
    const parsed = fromToken(token);
    if (parsed === undefined) {
      errors.push({
        parameters: { pagination_token: [token] },
        message: `The \`pagination_token\` query parameter value [${token}] is not valid`,
      });
    } else offset = parsed;
  }
  if (errors.length > 0) return badRequest(errors);

  const page = rules.slice(offset, offset + max);
  const meta: JsonBody = { sent: sent(ctx), result_count: page.length };
  if (offset + max < rules.length) meta.next_token = toToken(offset + max);
  return { status: 200, body: page.length > 0 ? { data: page, meta } : { meta } };
}

function parseFlag(search: URLSearchParams, name: string, errors: InvalidParameter[]): boolean {
  const raw = search.get(name);
  if (raw === null) return false;
  if (raw === 'true' || raw === 'false') return raw === 'true';
  errors.push({
    parameters: { [name]: [raw] },
    message: `The \`${name}\` query parameter value [${raw}] is not one of [true,false]`,
  });
  return false;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function schemaError(parameter: string): InvalidParameter {
  return { parameters: { [parameter]: [] }, message: "JSON doesn't match expected schema" };
}

/**
 * `POST /2/tweets/search/stream/rules`: add (201 when something was created,
 * 200 with `errors` when nothing was), delete by ids or values, or
 * `?delete_all=true`; `?dry_run=true` answers the same without storing.
 */
export function postRules(
  ctx: RulesApiContext,
  search: URLSearchParams,
  bodyText: string,
): RulesApiResponse {
  const errors: InvalidParameter[] = [];
  const dryRun = parseFlag(search, 'dry_run', errors);
  const deleteAll = parseFlag(search, 'delete_all', errors);
  if (errors.length > 0) return badRequest(errors);

  let body: unknown = {};
  if (bodyText.trim() !== '') {
    try {
      body = JSON.parse(bodyText);
    } catch {
      return badRequest([{ parameters: {}, message: 'Request body is not valid JSON' }]);
    }
  }
  if (!isObject(body)) return badRequest([schemaError('body')]);

  if (deleteAll) {
    if ('add' in body || 'delete' in body) {
      return badRequest([
        {
          parameters: { delete_all: ['true'] },
          message: 'delete_all must be sent with no other parameters',
        },
      ]);
    }
    return deleteRules(
      ctx,
      ctx.store.list().map((r) => r.id),
      'ids',
      dryRun,
    );
  }
  const hasAdd = 'add' in body;
  const hasDelete = 'delete' in body;
  if (hasAdd === hasDelete) {
    return badRequest([
      {
        parameters: { add: [], delete: [] },
        message: 'Exactly one of add or delete must be provided',
      },
    ]);
  }
  if (hasAdd) {
    const add = body.add;
    if (!Array.isArray(add) || add.length === 0) return badRequest([schemaError('add')]);
    for (const item of add) {
      if (!isObject(item) || typeof item.value !== 'string')
        return badRequest([{ parameters: { 'add.value': [] }, message: 'field is required' }]);
      if (item.tag !== undefined && typeof item.tag !== 'string')
        return badRequest([schemaError('add.tag')]);
    }
    return addRules(ctx, add as { value: string; tag?: string }[], dryRun);
  }
  const del = body.delete;
  if (!isObject(del)) return badRequest([schemaError('delete')]);
  const ids = del.ids;
  const values = del.values;
  const isStrings = (v: unknown) =>
    Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string');
  if (ids !== undefined && isStrings(ids) && values === undefined) {
    const bad = (ids as string[]).find((id) => !ID.test(id));
    if (bad !== undefined)
      return badRequest([
        {
          parameters: { 'delete.ids': [bad] },
          message: `The rule id [${bad}] does not match ^[0-9]{1,19}$`,
        },
      ]);
    return deleteRules(ctx, ids as string[], 'ids', dryRun);
  }
  if (values !== undefined && isStrings(values) && ids === undefined)
    return deleteRules(ctx, values as string[], 'values', dryRun);
  return badRequest([schemaError('delete')]);
}

function addRules(
  ctx: RulesApiContext,
  add: { value: string; tag?: string }[],
  dryRun: boolean,
): RulesApiResponse {
  const created: StoredRule[] = [];
  const problems: JsonBody[] = [];
  const pending = new Map<string, string>();
  let count = ctx.store.size;
  for (const { value, tag } of add) {
    const validation = validateRule(value, { maxLength: ctx.maxRuleLength });
    if (!validation.valid) {
      problems.push(
        invalidRuleProblem(
          value,
          validation.problems.map((p) => p.message),
        ),
      );
      continue;
    }
    const existing = ctx.store.idOfValue(value) ?? pending.get(value);
    if (existing !== undefined) {
      problems.push(duplicateRuleProblem(value, existing));
      continue;
    }
    if (count >= ctx.maxRules) {
      problems.push(ruleCapProblem(value, ctx.maxRules));
      continue;
    }
    const rule: StoredRule =
      tag === undefined ? { value, id: ctx.newId() } : { value, tag, id: ctx.newId() };
    created.push(rule);
    pending.set(value, rule.id);
    count++;
  }
  if (!dryRun) for (const rule of created) ctx.store.add(rule);
  // X does not return created rules in request order (spec §3.2).
  const data = [...created];
  for (let i = data.length - 1; i > 0; i--) {
    const j = ctx.rng.int(0, i);
    [data[i], data[j]] = [data[j] as StoredRule, data[i] as StoredRule];
  }
  const body: JsonBody = {};
  if (data.length > 0) body.data = data;
  body.meta = {
    sent: sent(ctx),
    summary: {
      created: created.length,
      not_created: add.length - created.length,
      valid: created.length,
      invalid: add.length - created.length,
    },
  };
  if (problems.length > 0) body.errors = problems;
  return { status: created.length > 0 ? 201 : 200, body, changed: !dryRun && created.length > 0 };
}

function deleteRules(
  ctx: RulesApiContext,
  keys: string[],
  by: 'ids' | 'values',
  dryRun: boolean,
): RulesApiResponse {
  const found: string[] = [];
  const missing: string[] = [];
  for (const key of new Set(keys)) {
    const id = by === 'ids' ? (ctx.store.get(key) ? key : undefined) : ctx.store.idOfValue(key);
    if (id === undefined) missing.push(key);
    else found.push(id);
  }
  if (!dryRun) for (const id of found) ctx.store.delete(id);
  const body: JsonBody = {
    meta: { sent: sent(ctx), summary: { deleted: found.length, not_deleted: missing.length } },
  };
  if (missing.length > 0) body.errors = [ruleNotFoundProblem(missing)];
  return { status: 200, body, changed: !dryRun && found.length > 0 };
}

/** `GET /2/tweets/search/stream/rules/counts`. */
export function getRuleCounts(ctx: RulesApiContext): RulesApiResponse {
  const count = ctx.store.size;
  return {
    status: 200,
    body: {
      data: {
        all_project_client_apps: [{ client_app_id: ctx.clientAppId, rule_count: count }],
        cap_per_client_app: ctx.maxRules,
        cap_per_project: ctx.maxRules,
        client_app_rules_count: { client_app_id: ctx.clientAppId, rule_count: count },
        project_rules_count: count,
      },
    },
  };
}
