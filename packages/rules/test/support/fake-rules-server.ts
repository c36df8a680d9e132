import { type HttpHandler, HttpResponse, http } from 'msw';
import { validateRule } from '../../src/index.js';
import { COUNTS_URL, RULES_URL } from './server.js';

interface StoredRule {
  id: string;
  value: string;
  tag?: string;
}

interface AddBody {
  add?: { value: string; tag?: string }[];
  delete?: { ids?: string[]; values?: string[] };
}

const PROBLEMS = 'https://api.twitter.com/2/problems';

/**
 * A stateful stand-in for X's rules endpoints, shaped like the recorded
 * bodies: add answers 201 when something was created and 200 otherwise, with
 * `DuplicateRule` (carrying the existing id) and `UnprocessableEntity`
 * (details from `validateRule`) in `errors`, and lists created rules in
 * REVERSE request order (X does not keep the order, spec §7.7). GET pages
 * with `max_results` / `pagination_token`.
 */
export class FakeRulesServer {
  private readonly rules = new Map<string, StoredRule>();
  private nextId = 1_500_000_000_000_000_000n;
  /** Every mutation, in order: `add <value>`, `delete <value>`. */
  readonly log: string[] = [];
  /** Every request: method, path and query. */
  readonly requests: { method: string; url: URL; body: unknown }[] = [];

  constructor(
    initial: { value: string; tag?: string }[] = [],
    private readonly options: { cap?: number; maxLength?: number } = {},
  ) {
    for (const rule of initial) this.store(rule);
  }

  /** The rules currently stored. */
  current(): StoredRule[] {
    return [...this.rules.values()];
  }

  /** Requests that could change state. */
  posts(): { url: URL; body: unknown }[] {
    return this.requests.filter((r) => r.method === 'POST');
  }

  private store(rule: { value: string; tag?: string | undefined }): StoredRule {
    const stored: StoredRule = { id: String(this.nextId++), value: rule.value };
    if (rule.tag) stored.tag = rule.tag;
    this.rules.set(stored.id, stored);
    return stored;
  }

  handlers(): HttpHandler[] {
    return [
      http.get(RULES_URL, ({ request }) => {
        const url = new URL(request.url);
        this.requests.push({ method: 'GET', url, body: undefined });
        const ids = url.searchParams.get('ids')?.split(',');
        const all = this.current().filter((rule) => !ids || ids.includes(rule.id));
        const max = Number(url.searchParams.get('max_results') ?? 1000);
        const offset = Number(url.searchParams.get('pagination_token') ?? 0);
        const page = all.slice(offset, offset + max);
        const meta: Record<string, unknown> = {
          sent: new Date(0).toISOString(),
          result_count: page.length,
        };
        if (offset + max < all.length) meta.next_token = String(offset + max).padStart(16, '0');
        return HttpResponse.json(page.length > 0 ? { data: page, meta } : { meta });
      }),
      http.post(RULES_URL, async ({ request }) => {
        const url = new URL(request.url);
        const body = (await request.json()) as AddBody;
        this.requests.push({ method: 'POST', url, body });
        const dryRun = url.searchParams.get('dry_run') === 'true';
        if (url.searchParams.get('delete_all') === 'true') return this.deleteAll(dryRun);
        if (body.add) return this.add(body.add, dryRun);
        if (body.delete) return this.delete(body.delete, dryRun);
        return HttpResponse.json(
          { title: 'Invalid Request', type: `${PROBLEMS}/invalid-request` },
          { status: 400 },
        );
      }),
      http.get(COUNTS_URL, ({ request }) => {
        this.requests.push({ method: 'GET', url: new URL(request.url), body: undefined });
        return HttpResponse.json({
          data: {
            cap_per_client_app: this.options.cap ?? 1000,
            client_app_rules_count: { client_app_id: '29890911', rule_count: this.rules.size },
          },
        });
      }),
    ];
  }

  private add(rules: { value: string; tag?: string }[], dryRun: boolean) {
    const data: StoredRule[] = [];
    const errors: unknown[] = [];
    let size = this.rules.size;
    for (const rule of rules) {
      const existing = this.current().find((r) => r.value === rule.value);
      const check = validateRule(rule.value, { maxLength: this.options.maxLength ?? 1024 });
      if (!check.valid) {
        errors.push({
          value: rule.value,
          details: check.problems.map((p) => p.message),
          title: 'UnprocessableEntity',
          type: `${PROBLEMS}/invalid-rules`,
        });
      } else if (existing) {
        errors.push({
          value: rule.value,
          id: existing.id,
          title: 'DuplicateRule',
          type: `${PROBLEMS}/duplicate-rules`,
        });
      } else if (this.options.cap !== undefined && size >= this.options.cap) {
        errors.push({
          title: 'RulesCapExceeded',
          type: `${PROBLEMS}/rule-cap`,
          detail: 'Rule cap reached.',
        });
      } else {
        size++;
        if (dryRun) {
          data.push({
            id: String(this.nextId++),
            value: rule.value,
            ...(rule.tag ? { tag: rule.tag } : {}),
          });
        } else {
          data.push(this.store(rule));
          this.log.push(`add ${rule.value}`);
        }
      }
    }
    const created = data.length;
    const body: Record<string, unknown> = {
      meta: {
        sent: new Date(0).toISOString(),
        summary: {
          created,
          not_created: rules.length - created,
          valid: created,
          invalid: rules.length - created,
        },
      },
    };
    if (created > 0) body.data = data.reverse();
    if (errors.length > 0) body.errors = errors;
    return HttpResponse.json(body, { status: created > 0 ? 201 : 200 });
  }

  private delete(target: { ids?: string[]; values?: string[] }, dryRun: boolean) {
    let deleted = 0;
    const errors: unknown[] = [];
    const keys = target.ids ?? target.values ?? [];
    for (const key of keys) {
      const rule = target.ids ? this.rules.get(key) : this.current().find((r) => r.value === key);
      if (!rule) {
        errors.push({
          title: 'RuleNotFound',
          detail: `No rule ${key}`,
          type: `${PROBLEMS}/invalid-request`,
        });
        continue;
      }
      deleted++;
      if (!dryRun) {
        this.rules.delete(rule.id);
        this.log.push(`delete ${rule.value}`);
      }
    }
    const body: Record<string, unknown> = {
      meta: {
        sent: new Date(0).toISOString(),
        summary: { deleted, not_deleted: keys.length - deleted },
      },
    };
    if (errors.length > 0) body.errors = errors;
    return HttpResponse.json(body);
  }

  private deleteAll(dryRun: boolean) {
    const count = this.rules.size;
    if (!dryRun) {
      for (const rule of this.current()) this.log.push(`delete ${rule.value}`);
      this.rules.clear();
    }
    return HttpResponse.json({
      meta: { sent: new Date(0).toISOString(), summary: { deleted: count, not_deleted: 0 } },
    });
  }
}
