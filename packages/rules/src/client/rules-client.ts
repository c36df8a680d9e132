import type { Drift } from '@birdstream/core';
import { attachDrift } from '@birdstream/core/internal';
import { Transport } from '../http/transport.js';
import type { Rule } from '../schemas/rule.js';
import { type SyncOptions, type SyncResult, syncRules } from '../sync/sync.js';
import { type AddRulesResult, addRules } from './add.js';
import { type RulesCountResult, ruleCounts } from './counts.js';
import { type DeleteRulesResult, deleteAllRules, deleteRules } from './delete.js';
import { listPages } from './list.js';
import type {
  AddOptions,
  CountsOptions,
  DeleteAllOptions,
  DeleteOptions,
  DeleteTarget,
  ListOptions,
  PagesOptions,
  RuleInput,
  RulesClientOptions,
  RulesPage,
} from './types.js';

/**
 * Manages the rules of the X API v2 filtered stream: list, add, delete,
 * counts, and a declarative `sync`. Responses are parsed into typed results;
 * failures are birdstream's typed errors (`AuthenticationError`,
 * `ForbiddenError`, `BadRequestError`, `RateLimitError`, `ConnectionError`,
 * `AbortedError`, …). The bearer token never appears in an error, a message
 * or `JSON.stringify` output.
 *
 * @example
 * ```ts
 * import { RulesClient } from '@birdstream/rules';
 *
 * const rules = new RulesClient({ bearerToken: process.env.X_BEARER_TOKEN });
 * const added = await rules.add([{ value: 'cat has:images -is:retweet', tag: 'cats' }]);
 * for (const r of added.results) console.log(r.input.value, r.status);
 * ```
 */
export class RulesClient {
  readonly #transport: Transport;
  /** The API host requests go to. */
  readonly baseUrl: string;

  constructor(options: RulesClientOptions) {
    const { baseUrl, transport } = Transport.forClient('RulesClient', options);
    this.baseUrl = baseUrl;
    this.#transport = transport;
  }

  /**
   * Every rule (all pages), or those with the given `ids` (sent 1,000 per
   * request). An empty `ids` array gives `[]` without a request.
   *
   * @example
   * ```ts
   * const all = await rules.list();
   * const some = await rules.list({ ids: ['1273636687768285186'] });
   * ```
   */
  async list(options: ListOptions = {}): Promise<Rule[]> {
    const rules: Rule[] = [];
    const drift: Drift[] = [];
    for await (const page of this.pages(options)) {
      rules.push(...page.rules);
      drift.push(...page.drift);
    }
    // A row X sent that could not be read is not listed: `driftOf(rules)` says which and why.
    if (drift.length > 0) attachDrift(rules, drift);
    return rules;
  }

  /**
   * Iterates over pages of rules, fetching each when asked (`max_results`,
   * then `pagination_token` from `meta.next_token`). Leaving the loop early
   * sends no further request.
   *
   * @example
   * ```ts
   * for await (const page of rules.pages({ maxResults: 100 })) console.log(page.rules.length);
   * ```
   */
  pages(options: PagesOptions = {}): AsyncIterable<RulesPage> {
    return listPages(this.#transport, options);
  }

  /**
   * Adds rules (`POST rules`), or with `dryRun` only checks them
   * (`?dry_run=true`). X answers 201 when something was created and 200
   * with `errors` when nothing was; both resolve: read `results` (one per
   * requested rule, matched by value) or `ok`.
   *
   * @example
   * ```ts
   * const check = await rules.add([{ value: 'puppy has:media', tag: 'puppies' }], { dryRun: true });
   * if (!check.ok) for (const r of check.results) if (r.status === 'invalid') console.error(r.details);
   * ```
   */
  add(rules: readonly RuleInput[], options: AddOptions = {}): Promise<AddRulesResult> {
    return addRules(this.#transport, rules, options);
  }

  /**
   * Deletes rules by id or by exact value (`POST rules {"delete": …}`).
   *
   * @example
   * ```ts
   * await rules.delete({ ids: ['1273636687768285186'] });
   * await rules.delete({ values: ['meme has:images'] }, { dryRun: true });
   * ```
   */
  delete(target: DeleteTarget, options: DeleteOptions = {}): Promise<DeleteRulesResult> {
    return deleteRules(this.#transport, target, options);
  }

  /**
   * Deletes every rule of the app (`?delete_all=true`). Refuses with a
   * `ConfigError` unless `confirm: true` is passed (also for a dry run):
   * deleted rules cannot be recovered, and the stream then delivers nothing.
   *
   * @example
   * ```ts
   * await rules.deleteAll({ confirm: true });
   * ```
   */
  deleteAll(options: DeleteAllOptions = {}): Promise<DeleteRulesResult> {
    return deleteAllRules(this.#transport, options);
  }

  /**
   * Rule counts and caps of the app and its project
   * (`GET rules/counts`, every `rules_count.fields` unless `fields` says otherwise).
   *
   * @example
   * ```ts
   * const { client_app_rules_count, cap_per_client_app } = await rules.counts();
   * ```
   */
  counts(options: CountsOptions = {}): Promise<RulesCountResult> {
    return ruleCounts(this.#transport, options);
  }

  /**
   * Makes the server's rules match `desired`, compared by value (a changed
   * tag is a delete plus an add). Validates offline first and sends nothing
   * if a rule is invalid (`RuleValidationError`); adds new rules before
   * deleting anything, so matching has no gap; treats `DuplicateRule` as
   * already present; deletes rules that are not desired only with `prune`;
   * with `dryRun` sends the adds with `?dry_run=true` and deletes nothing.
   * Running it again against the same server sends nothing.
   *
   * @example
   * ```ts
   * const { plan, outcome } = await rules.sync(
   *   [{ value: 'cat has:images', tag: 'cats' }, { value: '#nowplaying lang:en' }],
   *   { prune: true },
   * );
   * console.log(`${outcome.created.length} added, ${outcome.deleted} deleted, ${plan.unchanged.length} unchanged`);
   * ```
   */
  sync(desired: readonly RuleInput[], options: SyncOptions = {}): Promise<SyncResult> {
    return syncRules(this.#transport, desired, options);
  }

  /** A plain object for logs: the base URL only (never the token). */
  toJSON(): Record<string, unknown> {
    return { baseUrl: this.baseUrl };
  }
}
