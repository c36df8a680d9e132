import { createHmac } from 'node:crypto';
import { ConfigError, STREAM_ENDPOINT_TABLE } from '@birdstream/core';
import { REST_PATHS } from '@birdstream/core/internal';
import type { EmulatedClock, EmulatedTimer, TimerGroup } from '../engine/emulated-clock.js';
import type { JsonBody } from '../engine/problems.js';
import { parseStreamQuery } from '../engine/stream-query.js';
import type { RuleStore } from '../rules/rule-store.js';
import type { Feeds } from '../traffic/feeds/feeds.js';
import type { FieldSelection } from '../traffic/field-selection.js';
import { type Prng, prngFor } from '../traffic/prng.js';
import { snowflake } from '../traffic/snowflake.js';
import { toXJson } from '../traffic/x-json.js';
import { WEBHOOK_FAULT_TYPES, type WebhookFault } from './webhook-faults.js';
import { callWebhook, type WebhookReply } from './webhook-http.js';

/** The consumer secret the emulator signs with unless told otherwise (tests only). */
export const EMULATOR_CONSUMER_SECRET = 'birdstream-emulator-consumer-secret-0123456789abcdef';

/** Options of the emulator's filtered-stream webhooks (`startEmulator({ webhooks })`). */
export interface WebhookEmulationOptions {
  /** The app's consumer secret: CRCs and deliveries are signed with it. @default EMULATOR_CONSUMER_SECRET */
  consumerSecret?: string;
  /** Faults of deliveries: a list applied in turn, `'random'` (seeded), or `'none'`. @default 'none' */
  faults?: 'none' | 'random' | readonly WebhookFault[];
  /** Share of attempts hit by a random fault. @default 0.1 */
  faultRate?: number;
  /** Attempts of one delivery before X gives up on it (a replay still has it). @default 8 */
  maxAttempts?: number;
  /** Emulated ms before the first retry of a failed delivery; doubles each time. @default 2_000 */
  retryDelayMs?: number;
  /** Emulated ms between CRCs of a valid webhook (X: hourly). @default 3_600_000 */
  crcIntervalMs?: number;
  /** Real ms a webhook has to answer (X allows 10 s). @default 10_000 */
  timeoutMs?: number;
  /** Deliveries in flight at once per webhook. @default 8 */
  concurrency?: number;
  /** Accept `http:` URLs and ports (loopback tests). X requires https without a port. @default true */
  allowInsecure?: boolean;
}

/** A registered webhook, as the emulator keeps it. */
export interface EmulatedWebhook {
  id: string;
  url: string;
  valid: boolean;
  createdAt: number;
  /** Emulated time of the last CRC that passed. */
  validatedAt: number | undefined;
  crcChecks: number;
  crcFailures: number;
}

/** What the webhook deliveries have done so far. */
export interface WebhookEmulatorStats {
  webhooks: EmulatedWebhook[];
  links: { webhookId: string; fields: string[] }[];
  /** Post ids X matched for each webhook, in order (each once). */
  matched: Record<string, string[]>;
  /** Post ids each webhook answered 2xx, in order (redeliveries and replays included). */
  acknowledged: Record<string, string[]>;
  /** Post ids X gave up on after `maxAttempts` (a replay can still bring them). */
  abandoned: Record<string, string[]>;
  attempts: number;
  /** Attempts that failed (non-2xx, network errors, faults). */
  failures: number;
  faults: { type: WebhookFault['type']; webhookId: string; postId: string }[];
  replays: { jobId: string; webhookId: string; posts: number; done: boolean }[];
  /** Deliveries queued, waiting for a retry or in flight. */
  pending: number;
}

/** What the emulation needs from the engine. */
export interface WebhookContext {
  clock: EmulatedClock;
  timers: TimerGroup;
  feeds: Feeds;
  rules: RuleStore;
  seed: number;
}

interface Link {
  webhookId: string;
  selection: FieldSelection;
  fields: string[];
  /** The next post (timeline index) to consider. */
  next: number;
}

interface Job {
  webhookId: string;
  postId: string;
  body: Buffer;
  attempt: number;
  replayJob: string | undefined;
}

interface Attempted {
  postId: string;
  /** Emulated time of the first attempt. */
  at: number;
  body: Buffer;
}

const DAY_MS = 24 * 3_600_000;
const TICK_MS = 250;
const MAX_POSTS_PER_TICK = 500;
const FILTER = STREAM_ENDPOINT_TABLE.filter;
const REPLAY_DATE = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})$/;

/** The answer of a webhook REST call. */
export interface WebhookApiResult {
  status: number;
  body: JsonBody;
}

/** True for the paths {@link WebhookEmulation.route} answers. */
export function isWebhookPath(path: string): boolean {
  return (
    path === REST_PATHS.webhooks ||
    path.startsWith(`${REST_PATHS.webhooks}/`) ||
    path === REST_PATHS.filteredStreamWebhooks ||
    path.startsWith(`${REST_PATHS.filteredStreamWebhooks}/`)
  );
}

/**
 * X's filtered-stream webhooks, emulated: registration with a CRC, CRCs on a
 * schedule (emulated time), signed deliveries of the posts matching the
 * rules to every linked webhook, retries with back-off, faults (bad
 * signatures, truncated and cut bodies, redeliveries), and replay jobs.
 */
export class WebhookEmulation {
  readonly #ctx: WebhookContext;
  readonly #secret: string;
  readonly #faultMode: 'none' | 'random';
  readonly #scripted: WebhookFault[];
  readonly #faultRate: number;
  readonly #maxAttempts: number;
  readonly #retryDelayMs: number;
  readonly #crcIntervalMs: number;
  readonly #timeoutMs: number;
  readonly #concurrency: number;
  readonly #allowInsecure: boolean;
  readonly #rng: Prng;
  readonly #webhooks = new Map<string, EmulatedWebhook>();
  readonly #links = new Map<string, Link>();
  readonly #queues = new Map<string, Job[]>();
  readonly #inFlight = new Map<string, number>();
  readonly #history = new Map<string, Attempted[]>();
  readonly #stats = {
    matched: {} as Record<string, string[]>,
    acknowledged: {} as Record<string, string[]>,
    abandoned: {} as Record<string, string[]>,
    attempts: 0,
    failures: 0,
    faults: [] as WebhookEmulatorStats['faults'],
    replays: [] as WebhookEmulatorStats['replays'],
  };
  readonly #replayLeft = new Map<string, number>();
  readonly #retries = new Set<EmulatedTimer>();
  readonly #abort = new AbortController();
  #waitingRetries = 0;
  #sequence = 0;
  #tick: EmulatedTimer | undefined;
  #closed = false;

  constructor(ctx: WebhookContext, options: WebhookEmulationOptions = {}) {
    this.#ctx = ctx;
    this.#secret = options.consumerSecret ?? EMULATOR_CONSUMER_SECRET;
    if (typeof this.#secret !== 'string' || this.#secret === '') {
      throw new ConfigError('webhooks.consumerSecret must be a non-empty string.');
    }
    const faults = options.faults ?? 'none';
    this.#faultMode = faults === 'random' ? 'random' : 'none';
    this.#scripted = Array.isArray(faults) ? faults.map((f) => ({ ...f })) : [];
    for (const fault of this.#scripted) {
      if (!WEBHOOK_FAULT_TYPES.includes(fault.type)) {
        throw new ConfigError(
          `Unknown webhook fault type ${JSON.stringify(fault.type)}: use one of ${WEBHOOK_FAULT_TYPES.join(', ')}.`,
        );
      }
    }
    this.#faultRate = options.faultRate ?? 0.1;
    this.#maxAttempts = options.maxAttempts ?? 8;
    this.#retryDelayMs = options.retryDelayMs ?? 2_000;
    this.#crcIntervalMs = options.crcIntervalMs ?? 3_600_000;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#concurrency = options.concurrency ?? 8;
    this.#allowInsecure = options.allowInsecure ?? true;
    this.#rng = prngFor(ctx.seed, 0x77eb);
  }

  /** Adds faults for the next delivery attempts. */
  inject(fault: WebhookFault): void {
    if (!WEBHOOK_FAULT_TYPES.includes(fault.type)) {
      throw new ConfigError(`Unknown webhook fault type ${JSON.stringify(fault.type)}.`);
    }
    this.#scripted.push({ ...fault });
  }

  stats(): WebhookEmulatorStats {
    const copy = (r: Record<string, string[]>) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, [...v]]));
    let pending = this.#waitingRetries;
    for (const queue of this.#queues.values()) pending += queue.length;
    for (const n of this.#inFlight.values()) pending += n;
    return {
      webhooks: [...this.#webhooks.values()].map((w) => ({ ...w })),
      links: [...this.#links.values()].map((l) => ({
        webhookId: l.webhookId,
        fields: [...l.fields],
      })),
      matched: copy(this.#stats.matched),
      acknowledged: copy(this.#stats.acknowledged),
      abandoned: copy(this.#stats.abandoned),
      attempts: this.#stats.attempts,
      failures: this.#stats.failures,
      faults: this.#stats.faults.map((f) => ({ ...f })),
      replays: this.#stats.replays.map((r) => ({ ...r })),
      pending,
    };
  }

  /** Stops delivering: cancels timers and requests under way. */
  close(): void {
    this.#closed = true;
    this.#abort.abort();
    if (this.#tick) this.#ctx.timers.cancel(this.#tick);
    for (const timer of this.#retries) this.#ctx.timers.cancel(timer);
    this.#retries.clear();
  }

  /** Answers a webhook REST call (auth and rate limits are the engine's). */
  async route(
    method: string,
    path: string,
    search: URLSearchParams,
    body: string | undefined,
  ): Promise<WebhookApiResult> {
    const webhooks = REST_PATHS.webhooks;
    const links = REST_PATHS.filteredStreamWebhooks;
    if (path === webhooks) {
      if (method === 'GET') return { status: 200, body: this.#list() };
      if (method === 'POST') return this.#register(body);
      return notAllowed();
    }
    if (path === REST_PATHS.webhookReplay) {
      return method === 'POST' ? this.#replay(body) : notAllowed();
    }
    if (path.startsWith(`${webhooks}/`)) {
      const id = path.slice(webhooks.length + 1);
      const webhook = this.#webhooks.get(id);
      if (webhook === undefined) return notFound(id);
      if (method === 'PUT') {
        await this.#crc(webhook);
        return { status: 200, body: { data: { attempted: true } } };
      }
      if (method === 'DELETE') {
        this.#webhooks.delete(id);
        this.#links.delete(id);
        this.#queues.delete(id);
        return { status: 200, body: { data: { deleted: true } } };
      }
      return notAllowed();
    }
    if (path === links) {
      if (method !== 'GET') return notAllowed();
      return {
        status: 200,
        body: {
          data: {
            links: [...this.#links.values()].map((l) => ({
              application_id: '29893711',
              business_user_id: '2244994945',
              created_at: new Date(this.#ctx.clock.now()).toISOString(),
              fields: l.fields,
              instance_id: '1',
              webhook_id: l.webhookId,
            })),
          },
        },
      };
    }
    const id = path.slice(links.length + 1);
    if (!this.#webhooks.has(id)) return notFound(id);
    if (method === 'POST') return this.#link(id, search);
    if (method === 'DELETE') {
      return { status: 200, body: { data: { deleted: this.#links.delete(id) } } };
    }
    return notAllowed();
  }

  #list(): JsonBody {
    const data = [...this.#webhooks.values()].map((w) => ({
      created_at: new Date(w.createdAt).toISOString(),
      id: w.id,
      url: w.url,
      valid: w.valid,
    }));
    return data.length === 0
      ? { meta: { result_count: 0 } }
      : { data, meta: { result_count: data.length } };
  }

  async #register(body: string | undefined): Promise<WebhookApiResult> {
    let url: unknown;
    try {
      url = (JSON.parse(body ?? '') as { url?: unknown }).url;
    } catch {
      url = undefined;
    }
    if (typeof url !== 'string' || url.length === 0 || url.length > 200) {
      return invalid('url', 'The `url` must be a string of 1 to 200 characters.');
    }
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return invalid('url', 'The `url` is not a valid URL.');
    }
    if (!this.#allowInsecure && (parsed.protocol !== 'https:' || parsed.port !== '')) {
      return invalid('url', 'Webhook URLs must use https and no port.');
    }
    if ([...this.#webhooks.values()].some((w) => w.url === url)) {
      return invalid('url', 'This URL is already registered.');
    }
    const webhook: EmulatedWebhook = {
      id: snowflake(this.#ctx.clock.now(), 0x2a, this.#sequence++),
      url,
      valid: false,
      createdAt: this.#ctx.clock.now(),
      validatedAt: undefined,
      crcChecks: 0,
      crcFailures: 0,
    };
    if (!(await this.#crc(webhook))) {
      return {
        status: 400,
        body: {
          errors: [
            { message: 'Webhook URL does not meet the requirements: the CRC check failed.' },
          ],
          title: 'Invalid Request',
          detail: 'CRC check failed',
          type: 'https://api.twitter.com/2/problems/invalid-request',
        },
      };
    }
    this.#webhooks.set(webhook.id, webhook);
    this.#history.set(webhook.id, []);
    this.#scheduleCrc(webhook);
    return {
      status: 200,
      body: {
        data: {
          created_at: new Date(webhook.createdAt).toISOString(),
          id: webhook.id,
          url: webhook.url,
          valid: true,
        },
      },
    };
  }

  /** Runs a CRC; a wrong token or a 3xx invalidates at once, other failures only after 28 h. */
  async #crc(webhook: EmulatedWebhook): Promise<boolean> {
    webhook.crcChecks++;
    const token = Buffer.from(this.#rng.hex(24), 'hex').toString('base64');
    const url = new URL(webhook.url);
    url.searchParams.set('crc_token', token);
    const reply = await callWebhook({
      method: 'GET',
      url: url.href,
      timeoutMs: this.#timeoutMs,
      signal: this.#abort.signal,
    });
    const expected = `sha256=${createHmac('sha256', this.#secret).update(token).digest('base64')}`;
    const now = this.#ctx.clock.now();
    if (reply.status !== 'network-error' && reply.status >= 200 && reply.status < 300) {
      let answered: unknown;
      try {
        answered = (JSON.parse(reply.body) as { response_token?: unknown }).response_token;
      } catch {
        answered = undefined;
      }
      if (answered === expected) {
        webhook.valid = true;
        webhook.validatedAt = now;
        return true;
      }
      webhook.crcFailures++;
      webhook.valid = false;
      return false;
    }
    webhook.crcFailures++;
    if (reply.status !== 'network-error' && reply.status >= 300 && reply.status < 400)
      webhook.valid = false;
    else if (webhook.validatedAt === undefined || now - webhook.validatedAt > 28 * 3_600_000)
      webhook.valid = false;
    return false;
  }

  /** Hourly CRCs; every 30 minutes while the webhook has not passed one for 24 h. */
  #scheduleCrc(webhook: EmulatedWebhook): void {
    const stale =
      webhook.validatedAt === undefined || this.#ctx.clock.now() - webhook.validatedAt > DAY_MS;
    const timer = this.#ctx.timers.after(
      stale ? this.#crcIntervalMs / 2 : this.#crcIntervalMs,
      () => {
        this.#retries.delete(timer);
        if (this.#closed || !this.#webhooks.has(webhook.id)) return;
        this.#crc(webhook).finally(() => {
          if (!this.#closed && this.#webhooks.has(webhook.id)) this.#scheduleCrc(webhook);
        });
      },
    );
    this.#retries.add(timer);
  }

  #link(id: string, search: URLSearchParams): WebhookApiResult {
    const query = parseStreamQuery(search, FILTER, this.#ctx.clock.now());
    if (!query.ok) {
      return {
        status: 400,
        body: {
          errors: query.errors,
          title: 'Invalid Request',
          detail: 'One or more parameters to your request was invalid.',
          type: 'https://api.twitter.com/2/problems/invalid-request',
        },
      };
    }
    const fields = [...search.entries()].map(([k, v]) => `${k}=${v}`);
    const timeline = this.#ctx.feeds.of('posts').timeline;
    this.#links.set(id, {
      webhookId: id,
      selection: query.selection,
      fields,
      next: timeline.firstAtOrAfter(this.#ctx.clock.now()),
    });
    this.#stats.matched[id] ??= [];
    this.#stats.acknowledged[id] ??= [];
    this.#startTicking();
    return { status: 200, body: { data: { provisioned: true } } };
  }

  #startTicking(): void {
    if (this.#tick !== undefined || this.#closed) return;
    this.#tick = this.#ctx.timers.after(TICK_MS, () => {
      this.#tick = undefined;
      if (this.#closed) return;
      this.#collect();
      this.#startTicking();
    });
  }

  /** Finds the posts each link carries since the last tick and queues them. */
  #collect(): void {
    const feed = this.#ctx.feeds.of('posts');
    const now = this.#ctx.clock.now();
    for (const link of this.#links.values()) {
      let considered = 0;
      while (considered < MAX_POSTS_PER_TICK && feed.timeline.timeOf(link.next) <= now) {
        const message = feed.message(link.next, {
          row: FILTER,
          selection: link.selection,
          rules: this.#ctx.rules,
        });
        link.next++;
        considered++;
        if (message === undefined) continue;
        const postId = String((message.data as { id: unknown }).id);
        this.#stats.matched[link.webhookId]?.push(postId);
        this.#enqueue({
          webhookId: link.webhookId,
          postId,
          body: Buffer.from(toXJson(message), 'utf8'),
          attempt: 0,
          replayJob: undefined,
        });
      }
    }
  }

  #enqueue(job: Job): void {
    let queue = this.#queues.get(job.webhookId);
    if (queue === undefined) {
      queue = [];
      this.#queues.set(job.webhookId, queue);
    }
    queue.push(job);
    this.#pump(job.webhookId);
  }

  #pump(webhookId: string): void {
    const queue = this.#queues.get(webhookId);
    while (
      !this.#closed &&
      queue &&
      queue.length > 0 &&
      (this.#inFlight.get(webhookId) ?? 0) < this.#concurrency
    ) {
      const job = queue.shift() as Job;
      this.#inFlight.set(webhookId, (this.#inFlight.get(webhookId) ?? 0) + 1);
      this.#send(job).finally(() => {
        this.#inFlight.set(webhookId, (this.#inFlight.get(webhookId) ?? 1) - 1);
        this.#pump(webhookId);
      });
    }
  }

  #takeFault(webhookId: string): WebhookFault['type'] | undefined {
    const index = this.#scripted.findIndex(
      (f) => f.webhookId === undefined || f.webhookId === webhookId,
    );
    if (index !== -1) {
      const fault = this.#scripted[index] as WebhookFault;
      fault.count = (fault.count ?? 1) - 1;
      if (fault.count <= 0) this.#scripted.splice(index, 1);
      return fault.type;
    }
    if (this.#faultMode === 'random' && this.#rng.next() < this.#faultRate) {
      return WEBHOOK_FAULT_TYPES[Math.floor(this.#rng.next() * WEBHOOK_FAULT_TYPES.length)];
    }
    return undefined;
  }

  async #send(job: Job): Promise<void> {
    const webhook = this.#webhooks.get(job.webhookId);
    if (webhook === undefined) return this.#settle(job, false);
    const history = this.#history.get(job.webhookId);
    if (job.attempt === 0 && job.replayJob === undefined) {
      history?.push({ postId: job.postId, at: this.#ctx.clock.now(), body: job.body });
    }
    this.#stats.attempts++;
    // An invalid webhook gets nothing until a CRC passes: the attempt fails (a replay has it).
    if (!webhook.valid) return this.#failed(job);
    const fault = this.#takeFault(job.webhookId);
    if (fault !== undefined)
      this.#stats.faults.push({ type: fault, webhookId: job.webhookId, postId: job.postId });
    const secret = fault === 'bad-signature' ? `${this.#secret}-wrong` : this.#secret;
    const body =
      fault === 'truncated-body' ? job.body.subarray(0, Math.floor(job.body.length / 2)) : job.body;
    const signature = `sha256=${createHmac('sha256', secret)
      .update(fault === 'truncated-body' ? job.body : body)
      .digest('base64')}`;
    const reply: WebhookReply = await callWebhook({
      method: 'POST',
      url: webhook.url,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'x-twitter-webhooks-signature': signature,
      },
      body,
      ...(fault === 'cut-body' ? { cutAfter: Math.floor(body.length / 2) } : {}),
      timeoutMs: this.#timeoutMs,
      signal: this.#abort.signal,
    });
    if (this.#closed) return;
    if (reply.status !== 'network-error' && reply.status >= 200 && reply.status < 300) {
      this.#stats.acknowledged[job.webhookId]?.push(job.postId);
      if (fault === 'redeliver') this.#enqueue({ ...job, attempt: 0, replayJob: 'redeliver' });
      return this.#settle(job, true);
    }
    this.#failed(job);
  }

  #failed(job: Job): void {
    this.#stats.failures++;
    if (job.attempt + 1 >= this.#maxAttempts) {
      const abandoned = this.#stats.abandoned[job.webhookId] ?? [];
      abandoned.push(job.postId);
      this.#stats.abandoned[job.webhookId] = abandoned;
      this.#settle(job, false);
      return;
    }
    this.#waitingRetries++;
    const timer = this.#ctx.timers.after(this.#retryDelayMs * 2 ** job.attempt, () => {
      this.#retries.delete(timer);
      this.#waitingRetries--;
      this.#enqueue({ ...job, attempt: job.attempt + 1 });
    });
    this.#retries.add(timer);
  }

  #settle(job: Job, _delivered: boolean): void {
    if (job.replayJob === undefined || job.replayJob === 'redeliver') return;
    const left = (this.#replayLeft.get(job.replayJob) ?? 1) - 1;
    this.#replayLeft.set(job.replayJob, left);
    if (left <= 0) {
      this.#replayLeft.delete(job.replayJob);
      const entry = this.#stats.replays.find((r) => r.jobId === job.replayJob);
      if (entry) entry.done = true;
    }
  }

  #replay(body: string | undefined): WebhookApiResult {
    let request: { webhook_id?: unknown; from_date?: unknown; to_date?: unknown };
    try {
      request = JSON.parse(body ?? '') as typeof request;
    } catch {
      return invalid('body', 'The body must be JSON: { webhook_id, from_date, to_date }.');
    }
    const webhookId = String(request.webhook_id ?? '');
    const webhook = this.#webhooks.get(webhookId);
    if (webhook === undefined) return notFound(webhookId);
    const from = replayTime(request.from_date);
    const to = replayTime(request.to_date);
    const now = this.#ctx.clock.now();
    if (from === undefined || to === undefined) {
      return invalid('from_date', 'from_date and to_date must be UTC times as yyyymmddhhmm.');
    }
    if (from < now - DAY_MS - 60_000 || to <= from || to > now + 60_000) {
      return invalid(
        'from_date',
        'The window must lie within the last 24 hours, with to_date after from_date.',
      );
    }
    if (this.#stats.replays.some((r) => r.webhookId === webhookId && !r.done)) {
      return {
        status: 409,
        body: {
          title: 'Conflict',
          detail: 'A replay job is already running for this webhook.',
          type: 'about:blank',
          status: 409,
        },
      };
    }
    const jobId = snowflake(now, 0x2b, this.#sequence++);
    const entries = (this.#history.get(webhookId) ?? []).filter(
      (e) => e.at >= from && e.at < to + 60_000,
    );
    this.#stats.replays.push({
      jobId,
      webhookId,
      posts: entries.length,
      done: entries.length === 0,
    });
    if (entries.length > 0) this.#replayLeft.set(jobId, entries.length);
    for (const entry of entries) {
      this.#enqueue({
        webhookId,
        postId: entry.postId,
        body: entry.body,
        attempt: 0,
        replayJob: jobId,
      });
    }
    return {
      status: 200,
      body: { data: { job_id: jobId, created_at: new Date(now).toISOString() } },
    };
  }
}

function replayTime(value: unknown): number | undefined {
  const match = typeof value === 'string' ? REPLAY_DATE.exec(value) : null;
  if (match === null) return undefined;
  const [, y, mo, d, h, mi] = match.map(Number) as number[];
  return Date.UTC(y as number, (mo as number) - 1, d, h, mi);
}

function invalid(parameter: string, message: string): WebhookApiResult {
  return {
    status: 400,
    body: {
      errors: [{ parameters: { [parameter]: [] }, message }],
      title: 'Invalid Request',
      detail: 'One or more parameters to your request was invalid.',
      type: 'https://api.twitter.com/2/problems/invalid-request',
    },
  };
}

function notFound(id: string): WebhookApiResult {
  return {
    status: 404,
    body: {
      title: 'Not Found Error',
      detail: `Could not find webhook with id: [${id}].`,
      type: 'https://api.twitter.com/2/problems/resource-not-found',
      status: 404,
    },
  };
}

function notAllowed(): WebhookApiResult {
  return {
    status: 405,
    body: {
      title: 'Method Not Allowed',
      type: 'about:blank',
      status: 405,
      detail: 'Method Not Allowed',
    },
  };
}
