import type { Drift } from '../decode/tolerant-reader.js';
import { REST_PATHS, relativePath } from '../endpoints/rest-paths.js';
import { ConfigError } from '../errors/config-error.js';
import type { RestTransport } from '../rest/rest-transport.js';
import type { Problem } from '../schemas/problems.js';
import { type AdminClientOptions, createAdminTransport } from './admin-client-options.js';
import { USAGE_FIELDS, type Usage, type UsageField, UsageResponse } from './admin-schemas.js';

/** Options of `UsageClient.get()`. */
export interface GetUsageOptions {
  /** Days of daily usage to return, 1 to 90. @default 7 */
  days?: number;
  /** Fields to return. @default every field */
  fields?: readonly UsageField[];
  signal?: AbortSignal;
}

/** The project's post reads and cap, with the share used. */
export interface UsageReport {
  usage: Usage;
  /** `project_usage / project_cap` as a percentage, when X reported both. */
  percentOfCap: number | undefined;
  /** Problems X reported beside the data. */
  errors: Problem[];
  /**
   * Rows (a day, `['data', 'daily_project_usage', 'usage', 3]`) or fields X
   * sent that could not be read as declared: set aside with their value as
   * sent, or coerced (a count sent as a numeric string). Empty when the
   * body was read as sent.
   */
  drift: Drift[];
}

/**
 * A client for `GET /2/usage/tweets`: how many posts the project read in
 * this billing period against its cap, and per day. Every post a stream
 * delivers counts (pay-per-use bills each unique post once per UTC day);
 * at the cap X answers 429 `usage-capped` and streams cannot resume until
 * it resets. Pair it with a stream `budget` to stop before that.
 *
 * @example
 * ```ts
 * const { usage, percentOfCap } = await new UsageClient().get({ days: 1 });
 * console.log(`${usage.project_usage} of ${usage.project_cap} (${percentOfCap?.toFixed(1)} %)`);
 * ```
 */
export class UsageClient {
  readonly #transport: RestTransport;

  constructor(options: AdminClientOptions = {}) {
    this.#transport = createAdminTransport(options);
  }

  async get(options: GetUsageOptions = {}): Promise<UsageReport> {
    const days = options.days ?? 7;
    if (!Number.isInteger(days) || days < 1 || days > 90) {
      throw new ConfigError(`days must be a whole number from 1 to 90, got ${days}.`);
    }
    const { body, drift } = await this.#transport.request(
      {
        method: 'GET',
        path: relativePath(REST_PATHS.usage),
        searchParams: {
          days: String(days),
          'usage.fields': (options.fields ?? USAGE_FIELDS).join(','),
        },
        signal: options.signal,
        operation: 'read the post usage',
      },
      UsageResponse,
    );
    const usage = body.data ?? {};
    const { project_usage: used, project_cap: cap } = usage;
    return {
      usage,
      percentOfCap:
        used !== undefined && cap !== undefined && cap > 0 ? (used / cap) * 100 : undefined,
      errors: body.errors ?? [],
      drift,
    };
  }

  /** Serialises without credentials. */
  toJSON(): Record<string, unknown> {
    return { type: 'UsageClient' };
  }
}
