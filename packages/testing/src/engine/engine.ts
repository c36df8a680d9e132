import { ConfigError, type StreamEndpointInfo } from '@birdstream/core';
import { REST_PATHS } from '@birdstream/core/internal';
import type { Fault, ScriptedFault, StreamEndpoint } from '../faults/fault.js';
import {
  type ConnectionFault,
  type ConnectionFaultSpec,
  FAULTS,
  isConnectionFault,
  type StreamFault,
} from '../faults/fault-table.js';
import { PostFaultSchedule } from '../faults/post-schedule.js';
import { nextRandomEpisode, randomFaultEpisode } from '../faults/random-faults.js';
import { validateFault } from '../faults/validate-fault.js';
import { RuleStore, type StoredRule } from '../rules/rule-store.js';
import { getRuleCounts, getRules, postRules, type RulesApiContext } from '../rules/rules-api.js';
import { streamContentType } from '../stream/framing.js';
import type { StreamSink } from '../stream/sink.js';
import { type SessionContext, StreamSession } from '../stream/stream-session.js';
import { framingFor } from '../traffic/drift/playground-drift.js';
import { Feeds } from '../traffic/feeds/feeds.js';
import { PostSource } from '../traffic/post-source.js';
import { type Prng, prngFor, STREAM } from '../traffic/prng.js';
import { snowflake } from '../traffic/snowflake.js';
import { Timeline } from '../traffic/timeline.js';
import { UserDirectory } from '../traffic/users.js';
import { toXJson } from '../traffic/x-json.js';
import { isWebhookPath, WebhookEmulation } from '../webhooks/webhook-emulation.js';
import { checkBearer } from './auth.js';
import { ConnectionRegistry } from './connections.js';
import { EmulatedClock, TimerGroup } from './emulated-clock.js';

/** Where the emulator's own control endpoints live (outside X's `/2/` paths). */
export const CONTROL_PREFIX = '/_emulator';

import { type EmulatorEventOf, type EmulatorEventType, EventHub } from './events.js';
import { type ResolvedOptions, resolveOptions, type XApiEmulationOptions } from './options.js';
import {
  invalidRequestProblem,
  type JsonBody,
  noRulesProblem,
  tooManyConnectionsProblem,
  tooManyRequestsProblem,
  unauthorizedProblem,
  unsupportedAuthenticationProblem,
  usageCappedProblem,
} from './problems.js';
import {
  type RateLimitedEndpoint,
  RateLimiter,
  type RateLimitState,
  rateLimitHeaders,
} from './rate-limits.js';
import { type EmulatorStats, type RejectionReason, StatsRecorder } from './stats.js';
import { parseStreamQuery, type StreamQuery } from './stream-query.js';
import { streamRouteAt } from './stream-routes.js';
import { UsageMeter } from './usage.js';

/** A request, whatever the transport (node:http or msw). */
export interface EngineRequest {
  method: string;
  url: URL;
  header(name: string): string | null | undefined;
  /** The body, for POST and DELETE. */
  body?: string;
  /** The client's address, for `GET /2/connections`. @default '127.0.0.1' */
  clientIp?: string;
}

/** A complete response. */
export interface BodyResponse {
  kind: 'body';
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A 200 stream: the transport creates the sink and calls `open`. */
export interface StreamResponse {
  kind: 'stream';
  status: 200;
  headers: Record<string, string>;
  /** Whether the transport must gzip the body. */
  gzip: boolean;
  /** Starts streaming into `sink`. */
  open(sink: StreamSink): void;
}

export type EngineResponse = BodyResponse | StreamResponse;

const JSON_TYPE = 'application/json; charset=utf-8';
/** The paths the engine answers besides the streams of core's endpoint table. */
export const API_PATHS: readonly string[] = [
  REST_PATHS.rules,
  REST_PATHS.ruleCounts,
  REST_PATHS.connections,
  `${REST_PATHS.connections}/:endpointId`,
  REST_PATHS.usage,
];
/** Recovery jobs (`start_time`/`end_time` requests) X runs at once per stream (partition). */
const MAX_RECOVERY_JOBS = 2;
/**
 * How long (real ms) a new connection waits for a previous one that the client already dropped
 * to be seen closed: real time, because the close travels through the real socket layer.
 */
const CLOSE_GRACE_MS = 500;

/** The table entry of a connection fault. */
function connectionSpec(fault: ConnectionFault): ConnectionFaultSpec<ConnectionFault> {
  return FAULTS[fault.type] as ConnectionFaultSpec<ConnectionFault>;
}

/**
 * The emulated X API, independent of the transport: rule store, timeline,
 * stream sessions, rate limits, faults and stats. `startEmulator` serves it
 * over node:http; `createXApiHandlers` over msw.
 */
export class XApiEngine {
  readonly options: ResolvedOptions;
  /** Emulated time; share it with a client (`clock: emu.clock`) to run the client in emulated time too. */
  readonly clock: EmulatedClock;
  private readonly timers: TimerGroup;
  private readonly events = new EventHub();
  private readonly store = new RuleStore();
  private readonly feeds: Feeds;
  private readonly statsRecorder: StatsRecorder;
  private readonly limiter: RateLimiter;
  private readonly rulesContext: RulesApiContext;
  private readonly sessionContext: SessionContext;
  private readonly sessions = new Set<StreamSession>();
  private readonly registry: ConnectionRegistry;
  private readonly usage: UsageMeter;
  /** The filtered stream's webhooks: registrations, CRCs, signed deliveries, replays. */
  readonly webhooks: WebhookEmulation;
  /** Accepted connections whose transport has not opened the session yet. */
  private readonly reserved = new Map<number, string>();
  /** Connection faults waiting for attempts: `remaining` attempts, or every attempt `until` (emulated ms). */
  private readonly connectFaults: {
    fault: ConnectionFault;
    remaining: number;
    until?: number;
  }[] = [];
  private pendingStreamFaults: StreamFault[] = [];
  /** Attempts on their way (a `latency` fault): each resolves when it arrives, or at `close()`. */
  private readonly arriving = new Set<() => void>();
  /** Faults pinned to posts (`atPost`, `faultIntervalPosts`): handed out as connections reach them. */
  private readonly postFaults: PostFaultSchedule;
  private readonly faultRng: Prng;
  private readonly connectionRng: Prng;
  private ruleSequence = 0;
  private nextConnectionId = 1;
  private readonly graceTimers = new Set<ReturnType<typeof setTimeout>>();
  private closed = false;

  constructor(options: XApiEmulationOptions = {}) {
    this.options = resolveOptions(options);
    const o = this.options;
    this.clock = new EmulatedClock(o.startTime, o.timeScale);
    this.timers = new TimerGroup(this.clock);
    this.feeds = new Feeds({
      seed: o.seed,
      startTime: o.startTime,
      rate: o.rate,
      posts: new PostSource(o.seed, new Timeline(o.seed, o.startTime, o.rate)),
      users: new UserDirectory(o.seed),
    });
    this.statsRecorder = new StatsRecorder(o.seedInput);
    this.limiter = new RateLimiter(this.clock, o.rateLimits);
    this.faultRng = prngFor(o.seed, STREAM.faults);
    const everyPosts = o.faults === 'random' ? o.faultIntervalPosts : undefined;
    this.postFaults = new PostFaultSchedule(
      everyPosts === undefined
        ? undefined
        : (after) => nextRandomEpisode(this.faultRng, everyPosts, after),
    );
    this.connectionRng = prngFor(o.seed, STREAM.connection);
    const uuidRng = prngFor(o.seed, STREAM.connection, 0x7fff);
    this.registry = new ConnectionRegistry(
      () => this.clock.now(),
      () =>
        `${uuidRng.hex(8)}-${uuidRng.hex(4)}-4${uuidRng.hex(3)}-a${uuidRng.hex(3)}-${uuidRng.hex(12)}`,
    );
    this.usage = new UsageMeter(
      () => this.clock.now(),
      o.usageCap,
      String(1_000_000_000 + (o.seed % 1_000_000)),
      String(20_000_000 + (o.seed % 9_000_000)),
    );
    this.rulesContext = {
      store: this.store,
      now: () => this.clock.now(),
      newId: () => snowflake(this.clock.now(), 0x155, this.ruleSequence++),
      rng: prngFor(o.seed, STREAM.rules),
      maxRuleLength: o.maxRuleLength,
      maxRules: o.maxRules,
      clientAppId: String(20_000_000 + (o.seed % 9_000_000)),
    };
    this.sessionContext = {
      clock: this.clock,
      timers: this.timers,
      feeds: this.feeds,
      rules: this.store,
      stats: this.statsRecorder,
      events: this.events,
      keepAliveMs: o.keepAliveMs,
      escapeNonBmp: o.escapeNonBmp,
      slowReaderBytes: o.slowReaderBytes,
      drift: o.drift,
      seed: o.seed,
      slowReaderMs: o.slowReaderMs,
      phantomOnReset: o.phantomOnReset,
      delivered: (postId) => this.usage.delivered(postId),
      faultsAt: (endpoint, index) => this.postFaults.take(endpoint, index),
      inject: (fault) => this.inject(fault),
    };
    if (o.rules.length > 0) {
      const result = postRules(
        this.rulesContext,
        new URLSearchParams(),
        JSON.stringify({ add: o.rules }),
      );
      const errors = (result.body.errors as JsonBody[] | undefined) ?? [];
      if (result.status >= 400 || errors.some((e) => e.title !== 'DuplicateRule')) {
        throw new ConfigError(
          `A rule in \`rules\` was refused: ${JSON.stringify(errors[0] ?? result.body)}`,
        );
      }
    }
    this.webhooks = new WebhookEmulation(
      {
        clock: this.clock,
        timers: this.timers,
        feeds: this.feeds,
        rules: this.store,
        seed: o.seed,
      },
      options.webhooks,
    );
    if (o.faults === 'random') {
      if (everyPosts === undefined) this.scheduleRandomFault();
    } else if (o.faults !== 'none') for (const fault of o.faults) this.schedule(fault);
  }

  /** What the emulator has sent so far. */
  stats(): EmulatorStats {
    return this.statsRecorder.snapshot();
  }

  /** The rules currently stored, in creation order. */
  rules(): StoredRule[] {
    return this.store.list();
  }

  /**
   * Injects a fault. Connection faults (429, 5xx, 401, gzip) answer the next
   * connection attempt(s); stream faults hit the open connection, or the next
   * one to open if none is.
   */
  inject(fault: Fault): void {
    validateFault(fault);
    if (this.closed) return;
    const { at: _at, atPost: _atPost, ...plain } = fault as ScriptedFault;
    const f = plain as Fault;
    if (isConnectionFault(f)) {
      const lasts = (FAULTS[f.type] as ConnectionFaultSpec<ConnectionFault>).lasts?.(f);
      this.connectFaults.push({
        fault: f,
        remaining: 'count' in f && f.count !== undefined ? f.count : 1,
        ...(lasts === undefined ? {} : { until: this.clock.now() + lasts }),
      });
      return;
    }
    const session = [...this.sessions]
      .reverse()
      .find((s) => !s.isClosed && (f.endpoint === undefined || f.endpoint === s.endpoint));
    if (session) session.arm(f);
    else this.pendingStreamFaults.push(f);
  }

  on<T extends EmulatorEventType>(
    type: T,
    listener: (event: EmulatorEventOf<T>) => void,
  ): () => void {
    return this.events.on(type, listener);
  }

  waitFor<T extends EmulatorEventType>(
    type: T,
    predicate?: (event: EmulatorEventOf<T>) => boolean,
    timeoutMs?: number,
  ): Promise<EmulatorEventOf<T>> {
    return this.events.waitFor(type, predicate, timeoutMs);
  }

  /** Ends every stream and cancels every timer. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const session of [...this.sessions]) session.shutdown();
    this.sessions.clear();
    this.reserved.clear();
    this.webhooks.close();
    for (const arrived of [...this.arriving]) arrived();
    this.timers.clearAll();
    for (const t of this.graceTimers) clearTimeout(t);
    this.graceTimers.clear();
    this.events.clear();
  }

  /** Answers one request. */
  async handle(req: EngineRequest): Promise<EngineResponse> {
    const response = await this.route(req);
    if (this.events.has('request')) {
      this.events.emit({
        type: 'request',
        method: req.method,
        path: req.url.pathname,
        status: response.status,
      });
    }
    return response;
  }

  private async route(req: EngineRequest): Promise<EngineResponse> {
    this.statsRecorder.request();
    const path = req.url.pathname.replace(/\/+$/, '');
    const row = streamRouteAt(path);
    if (row) {
      if (req.method !== 'GET') return this.methodNotAllowed('GET');
      return this.connect(req, row);
    }
    if (path === REST_PATHS.rules) {
      if (req.method === 'GET')
        return this.apiCall(req, 'rules-get', () =>
          getRules(this.rulesContext, req.url.searchParams),
        );
      if (req.method === 'POST') {
        return this.apiCall(req, 'rules-post', () => {
          const result = postRules(this.rulesContext, req.url.searchParams, req.body ?? '');
          if (result.changed) this.events.emit({ type: 'rules-changed', count: this.store.size });
          return result;
        });
      }
      return this.methodNotAllowed('GET, POST');
    }
    if (path === REST_PATHS.connections || path.startsWith(`${REST_PATHS.connections}/`)) {
      const endpointId = path.slice(REST_PATHS.connections.length + 1);
      if (path === REST_PATHS.connections && req.method === 'GET')
        return this.apiCall(req, 'connections', () => this.registry.list(req.url.searchParams));
      if (path === REST_PATHS.connections && req.method === 'DELETE')
        return this.apiCall(req, 'connections', () => this.registry.killUuids(req.body ?? ''));
      if (path === `${REST_PATHS.connections}/all` && req.method === 'DELETE')
        return this.apiCall(req, 'connections-kill-all', () => ({
          status: 200,
          body: this.registry.killAll(),
        }));
      if (endpointId !== '' && !endpointId.includes('/') && req.method === 'DELETE')
        return this.apiCall(req, 'connections', () => this.registry.killEndpoint(endpointId));
      return this.methodNotAllowed(path === REST_PATHS.connections ? 'GET, DELETE' : 'DELETE');
    }
    if (path === REST_PATHS.usage) {
      if (req.method !== 'GET') return this.methodNotAllowed('GET');
      return this.apiCall(req, 'usage', () => this.usage.report(req.url.searchParams));
    }
    if (path === REST_PATHS.ruleCounts) {
      if (req.method !== 'GET') return this.methodNotAllowed('GET');
      return this.apiCall(req, 'rules-counts', () => getRuleCounts(this.rulesContext));
    }
    if (path.startsWith(CONTROL_PREFIX)) return this.control(req, path);
    if (isWebhookPath(path)) {
      const denied = this.authProblem(req);
      if (denied) return denied;
      const rate = this.limiter.consume('webhooks');
      if (!rate.allowed) return this.json(429, tooManyRequestsProblem(), rate);
      const result = await this.webhooks.route(req.method, path, req.url.searchParams, req.body);
      return this.json(result.status, result.body, rate);
    }
    return this.json(404, { errors: [{ message: 'Sorry, that page does not exist', code: 34 }] });
  }

  /**
   * The emulator's own control endpoints (not X's; no token needed), for a
   * client in another process: `GET /_emulator/clock` tells emulated time
   * (`now`, `timeScale`) so the client can follow it (`birdstream stream
   * --emulator-clock`), and `POST /_emulator/faults` injects a fault (the
   * JSON of one, as `inject()` takes it) from a shell.
   */
  private control(req: EngineRequest, path: string): EngineResponse {
    if (path === `${CONTROL_PREFIX}/clock`) {
      if (req.method !== 'GET') return this.methodNotAllowed('GET');
      return this.json(200, { now: this.clock.now(), timeScale: this.clock.timeScale });
    }
    if (path === `${CONTROL_PREFIX}/faults`) {
      if (req.method !== 'POST') return this.methodNotAllowed('POST');
      let fault: Fault;
      try {
        fault = JSON.parse(req.body ?? '') as Fault;
        this.inject(fault);
      } catch (error) {
        const detail =
          error instanceof SyntaxError ? 'the body is not JSON' : (error as Error).message;
        return this.json(400, {
          title: 'Invalid fault',
          detail: `POST ${CONTROL_PREFIX}/faults takes one fault as JSON, such as {"type":"outage","ms":480000}: ${detail}`,
        });
      }
      return this.json(202, { injected: fault.type, at: this.clock.now() });
    }
    return this.json(404, {
      title: 'Not Found',
      detail: `The emulator's control endpoints are GET ${CONTROL_PREFIX}/clock and POST ${CONTROL_PREFIX}/faults.`,
    });
  }

  private baseHeaders(
    rate?: Pick<RateLimitState, 'limit' | 'remaining' | 'reset'>,
  ): Record<string, string> {
    const headers: Record<string, string> = {
      'content-type': JSON_TYPE,
      'x-access-level': 'read',
      'api-version': '2.159',
      'x-connection-hash': this.connectionRng.hex(32),
    };
    return rate ? { ...headers, ...rateLimitHeaders(rate) } : headers;
  }

  private json(
    status: number,
    body: JsonBody,
    rate?: Pick<RateLimitState, 'limit' | 'remaining' | 'reset'>,
  ): BodyResponse {
    return { kind: 'body', status, headers: this.baseHeaders(rate), body: toXJson(body) };
  }

  private methodNotAllowed(allow: string): BodyResponse {
    const response = this.json(405, {
      title: 'Method Not Allowed',
      type: 'about:blank',
      status: 405,
      detail: 'Method Not Allowed',
    });
    response.headers.allow = allow;
    return response;
  }

  /** Auth problems; `undefined` when the request may go on. X sends no rate-limit headers with a 401. */
  private authProblem(req: EngineRequest): BodyResponse | undefined {
    const auth = checkBearer(req.header('authorization'), this.options.bearerToken);
    if (auth === 'ok') return undefined;
    if (auth === 'user-context') return this.json(403, unsupportedAuthenticationProblem());
    const response = this.json(401, unauthorizedProblem());
    delete response.headers['x-access-level'];
    return response;
  }

  /** A REST call: auth, the endpoint's rate limit, then `run`. */
  private apiCall(
    req: EngineRequest,
    limited: RateLimitedEndpoint,
    run: () => { status: number; body: JsonBody },
  ): BodyResponse {
    const denied = this.authProblem(req);
    if (denied) return denied;
    const rate = this.limiter.consume(limited);
    if (!rate.allowed) return this.json(429, tooManyRequestsProblem(), rate);
    const result = run();
    return this.json(result.status, result.body, rate);
  }

  /** When the stream is full, waits (briefly) for a connection the client has already dropped to be seen closed. */
  private async openSessionsAfterGrace(slot: string, limit: number): Promise<number> {
    const open = () =>
      [...this.sessions].filter((s) => s.slot === slot && !s.isClosed).length +
      [...this.reserved.values()].filter((e) => e === slot).length +
      this.registry.phantomsIn(slot);
    const deadline = performance.now() + CLOSE_GRACE_MS;
    while (open() >= limit && !this.closed) {
      if (performance.now() >= deadline) {
        // One more pass through the event loop's I/O phase: on a loaded machine the timer
        // that ends the grace can run before the socket close that arrived meanwhile.
        await new Promise<void>((resolve) => setImmediate(resolve));
        break;
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          this.graceTimers.delete(t);
          resolve();
        }, 5);
        this.graceTimers.add(t);
      });
    }
    return open();
  }

  private reject(
    req: EngineRequest,
    endpoint: StreamEndpoint,
    status: number,
    reason: RejectionReason,
    injected: boolean,
  ): void {
    const userAgent = req.header('user-agent') ?? undefined;
    const entry = { at: this.clock.now(), endpoint, status, reason, userAgent, injected };
    this.statsRecorder.reject(entry);
    this.events.emit({ type: 'rejected', rejection: entry });
  }

  /**
   * The next connection fault waiting for an attempt of `endpoint` of the
   * kind `delaying` says (a `latency`, or one that answers), counted as
   * applied.
   */
  private takeConnectFault(
    endpoint: StreamEndpoint,
    delaying: boolean,
  ): ConnectionFault | undefined {
    const now = this.clock.now();
    for (let i = this.connectFaults.length - 1; i >= 0; i--) {
      const until = this.connectFaults[i]?.until;
      if (until !== undefined && until <= now) this.connectFaults.splice(i, 1);
    }
    const index = this.connectFaults.findIndex(
      (e) =>
        (e.fault.endpoint === undefined || e.fault.endpoint === endpoint) &&
        (connectionSpec(e.fault).delays !== undefined) === delaying,
    );
    if (index === -1) return undefined;
    const entry = this.connectFaults[index] as (typeof this.connectFaults)[number];
    // A fault that lasts answers every attempt until it expires.
    if (entry.until === undefined) {
      entry.remaining--;
      if (entry.remaining <= 0) this.connectFaults.splice(index, 1);
    }
    const applied = { at: this.clock.now(), type: entry.fault.type, endpoint };
    this.statsRecorder.fault(applied);
    this.events.emit({ type: 'fault', fault: applied });
    return entry.fault;
  }

  /** Waits `ms` of emulated time (an attempt on its way); at once when the emulator closes. */
  private arrival(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const arrived = () => {
        this.arriving.delete(arrived);
        resolve();
      };
      this.arriving.add(arrived);
      this.timers.after(ms, arrived);
    });
  }

  private async connect(req: EngineRequest, row: StreamEndpointInfo): Promise<EngineResponse> {
    const endpoint = row.name as StreamEndpoint;
    // A `latency` fault: the attempt reaches the stream late, and everything is decided from then.
    const late = this.takeConnectFault(endpoint, true);
    if (late !== undefined) await this.arrival(connectionSpec(late).delays?.(late) ?? 0);
    const query: StreamQuery = parseStreamQuery(req.url.searchParams, row, this.clock.now());
    const partition = query.ok ? query.partition : undefined;
    // Each partition of a stream is its own connection slot. A recovery
    // (`start_time`) is a job beside the live connection, not a connection
    // of the stream: X runs up to 2 of them at once, in a slot of their own.
    const recovery = query.ok && query.recovery !== undefined;
    const slot = `${endpoint}#${partition ?? ''}${recovery ? '#recovery' : ''}`;
    const limit = recovery ? MAX_RECOVERY_JOBS : this.options.maxConnections;
    const alreadyOpen = await this.openSessionsAfterGrace(slot, limit);
    this.statsRecorder.attempt(endpoint, partition, alreadyOpen + 1, recovery);
    const denied = this.authProblem(req);
    if (denied) {
      this.reject(
        req,
        endpoint,
        denied.status,
        denied.status === 401 ? 'unauthorized' : 'unsupported-authentication',
        false,
      );
      return denied;
    }
    const rate = this.limiter.consume(endpoint);
    let forceGzip = false;
    for (
      let fault = this.takeConnectFault(endpoint, false);
      fault;
      fault = this.takeConnectFault(endpoint, false)
    ) {
      const answer = connectionSpec(fault).answer?.(fault, {
        now: this.clock.now(),
        rate,
        seed: this.options.seed,
      });
      if (answer === undefined) continue;
      if (answer === 'gzip') {
        forceGzip = true;
        continue;
      }
      this.reject(req, endpoint, answer.status, answer.reason, true);
      if (answer.html !== undefined)
        return {
          kind: 'body',
          status: answer.status,
          headers: { 'content-type': 'text/html; charset=utf-8' },
          body: answer.html,
        };
      const response = this.json(answer.status, answer.json ?? {}, answer.rate);
      if (answer.noAccessLevel) delete response.headers['x-access-level'];
      return response;
    }
    if (!rate.allowed) {
      this.reject(req, endpoint, 429, 'rate-limit', false);
      return this.json(429, tooManyRequestsProblem(), rate);
    }
    if (!query.ok) {
      this.reject(req, endpoint, 400, 'invalid-request', false);
      return this.json(400, invalidRequestProblem(query.errors), rate);
    }
    if (row.selection === 'rules' && this.store.size === 0) {
      this.reject(req, endpoint, 409, 'no-rules', false);
      return this.json(409, noRulesProblem(), rate);
    }
    if (row.family === 'posts' && this.usage.capped) {
      this.reject(req, endpoint, 429, 'usage-cap', false);
      return this.json(
        429,
        usageCappedProblem(1_000_000_000 + (this.options.seed % 1_000_000)),
        rate,
      );
    }
    if (alreadyOpen >= limit || this.closed) {
      this.reject(req, endpoint, 429, 'too-many-connections', false);
      return this.json(429, tooManyConnectionsProblem(), rate);
    }
    const acceptsGzip = /\bgzip\b/i.test(req.header('accept-encoding') ?? '');
    const gzip =
      forceGzip || this.options.gzip === 'always' || (this.options.gzip === 'auto' && acceptsGzip);
    const headers = this.baseHeaders(rate);
    const framing = framingFor(row.family, this.options.drift, this.options.framing);
    headers['content-type'] = streamContentType(framing);
    if (gzip) headers['content-encoding'] = 'gzip';
    const id = this.nextConnectionId++;
    // Reserve the slot now, so a second request arriving before `open` sees it.
    this.reserved.set(id, slot);
    return {
      kind: 'stream',
      status: 200,
      headers,
      gzip,
      open: (sink) => {
        this.reserved.delete(id);
        if (this.closed) {
          sink.destroy();
          return;
        }
        const session = new StreamSession(
          this.sessionContext,
          {
            id,
            endpoint,
            slot,
            row,
            partition,
            selection: query.selection,
            backfillMinutes: query.backfillMinutes,
            recovery: query.recovery,
            gzip,
            userAgent: req.header('user-agent') ?? undefined,
            rng: prngFor(this.options.seed, STREAM.connection, id),
            framing,
          },
          sink,
        );
        this.sessions.add(session);
        this.registry.opened({
          id,
          row,
          slot,
          clientIp: req.clientIp ?? '127.0.0.1',
          kill: () => session.kill(),
        });
        session.onFinished((reason) => {
          this.sessions.delete(session);
          this.registry.ended(
            id,
            reason,
            reason === 'phantom' ? this.options.phantomTimeoutMs : undefined,
          );
        });
        const pending = this.pendingStreamFaults.filter(
          (f) => f.endpoint === undefined || f.endpoint === endpoint,
        );
        this.pendingStreamFaults = this.pendingStreamFaults.filter((f) => !pending.includes(f));
        // Armed before the first post, so `afterPosts` counts from the start.
        session.start(pending);
      },
    };
  }

  private schedule(fault: ScriptedFault): void {
    if (fault.atPost !== undefined) {
      const { atPost, ...plain } = fault;
      this.postFaults.add(atPost, plain as Fault);
      return;
    }
    const at = fault.at ?? 0;
    if (at <= 0) this.inject(fault);
    else this.timers.after(at, () => this.inject(fault));
  }

  private scheduleRandomFault(): void {
    this.timers.after(this.faultRng.exponential(this.options.faultIntervalMs), () => {
      // Drawn every time (so the sequence depends on the seed only), injected only
      // while a stream is open: faults queued for nobody would all hit the next connection at once.
      const episode = randomFaultEpisode(this.faultRng);
      const pick = this.faultRng.next();
      const open = [...this.sessions].filter((s) => !s.isClosed);
      const target = open[Math.floor(pick * open.length)];
      if (target) {
        for (const fault of episode) {
          if (isConnectionFault(fault)) this.inject(fault);
          else target.arm(fault);
        }
      }
      this.scheduleRandomFault();
    });
  }
}
