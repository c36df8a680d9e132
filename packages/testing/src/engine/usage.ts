import type { JsonBody } from './problems.js';

const DAY_MS = 86_400_000;

/**
 * What the emulator delivered, for `GET /2/usage/tweets` and the usage cap:
 * each distinct post counts once per UTC day (X bills a unique post once a
 * day, spec §10), by emulated time.
 */
export class UsageMeter {
  private readonly days = new Map<number, Set<string>>();
  private total = 0;

  constructor(
    private readonly now: () => number,
    /** Posts the project may read before X answers `usage-capped`; `undefined` for no cap. */
    readonly cap: number | undefined,
    private readonly projectId: string,
    private readonly clientAppId: string,
  ) {}

  /** Counts a delivered post; returns whether the cap is now reached. */
  delivered(postId: string): boolean {
    const day = Math.floor(this.now() / DAY_MS);
    let seen = this.days.get(day);
    if (!seen) {
      seen = new Set();
      this.days.set(day, seen);
    }
    if (!seen.has(postId)) {
      seen.add(postId);
      this.total++;
    }
    return this.capped;
  }

  /** Whether the cap has been reached. */
  get capped(): boolean {
    return this.cap !== undefined && this.total >= this.cap;
  }

  /** Posts counted so far (this billing period: the emulator's lifetime). */
  get used(): number {
    return this.total;
  }

  /** `GET /2/usage/tweets?days=N` (OpenAPI 2.159 `Get2UsageTweetsResponse`). */
  report(search: URLSearchParams): { status: number; body: JsonBody } {
    const raw = search.get('days') ?? '7';
    const days = Number(raw);
    if (!/^\d+$/.test(raw) || days < 1 || days > 90) {
      return {
        status: 400,
        body: {
          errors: [
            {
              parameters: { days: [raw] },
              message: `The \`days\` query parameter value [${raw}] is not between 1 and 90`,
            },
          ],
          title: 'Invalid Request',
          detail: 'One or more parameters to your request was invalid.',
          type: 'https://api.twitter.com/2/problems/invalid-request',
        },
      };
    }
    const today = Math.floor(this.now() / DAY_MS);
    const usage = Array.from({ length: days }, (_, i) => {
      const day = today - days + 1 + i;
      return { date: new Date(day * DAY_MS).toISOString(), usage: this.days.get(day)?.size ?? 0 };
    });
    const data: JsonBody = {
      project_id: this.projectId,
      project_usage: this.total,
      ...(this.cap === undefined ? {} : { project_cap: this.cap }),
      cap_reset_day: 1,
      daily_project_usage: { project_id: Number(this.projectId), usage },
      daily_client_app_usage: [
        { client_app_id: this.clientAppId, usage, usage_result_count: usage.length },
      ],
    };
    return { status: 200, body: { data } };
  }
}
