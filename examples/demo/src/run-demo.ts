import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { StreamClient } from '@birdstream/core';
import { BirdstreamMetrics, type MetricsServer, serveMetrics } from '@birdstream/prometheus';
import { loadRules, RulesClient } from '@birdstream/rules';
import { deliveryReport, startEmulator } from '@birdstream/testing';
import { Registry } from 'prom-client';
import { clockScheduler } from './clock-scheduler.js';
import { ConsumerTracker } from './consumer-tracker.js';
import { type Consumer, forAwaitConsumer, rxConsumer } from './consumers.js';
import { Dashboard, type DemoOutput } from './dashboard.js';
import { DEMO_USAGE, parseDemoArgs } from './demo-options.js';
import { driftShowcase } from './drift-showcase.js';
import { runWebhookDemo } from './run-webhook-demo.js';

const TOKEN = 'demo-token';
/** The repository's `examples/rules.json`, from `dist/` (built) or `src/` (tests). */
function defaultRulesFile(): string {
  for (const relative of ['../../rules.json']) {
    const path = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(path)) return path;
  }
  return 'examples/rules.json';
}

/** Resolves after `ms` real ms, or at once when `signal` aborts. */
export function wait(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Runs the demo: emulator, rules sync, two consumers side by side under
 * faults, a live view, and a summary. Resolves with the exit code: 0 when
 * every consumer got every post exactly once, 1 otherwise.
 */
export async function runDemo(
  argv: readonly string[],
  out: DemoOutput,
  signal?: AbortSignal,
): Promise<number> {
  const options = parseDemoArgs(argv, defaultRulesFile());
  if (!options) {
    out.write(`${DEMO_USAGE}\n`);
    return 0;
  }
  const print = (line = '') => out.write(`${line}\n`);
  if (options.mode === 'webhook') return runWebhookDemo(options, print, TOKEN, signal);

  const emu = await startEmulator({
    seed: options.seed,
    rate: options.rate,
    timeScale: options.timeScale,
    bearerToken: TOKEN,
    faults: options.faults,
    faultIntervalMs: options.faultIntervalMs,
    // Enterprise allows two redundant connections: one for each consumer.
    maxConnections: 2,
    // A rule from an earlier run, which the sync prunes.
    rules: [{ value: 'tacos OR pizza', tag: 'food (old)' }],
  });
  let metricsServer: MetricsServer | undefined;
  try {
    print(
      `X API emulator on ${emu.url} (seed ${String(options.seed)}, ${options.rate} posts/s, time ×${options.timeScale}).`,
    );
    // --metrics-port: both consumers' metrics, as a program of yours would serve them.
    let metrics: BirdstreamMetrics | undefined;
    if (options.metricsPort !== undefined) {
      const registry = new Registry();
      metrics = new BirdstreamMetrics({ registry });
      metricsServer = await serveMetrics(registry, {
        port: options.metricsPort,
        host: '127.0.0.1',
      });
      print(
        `Prometheus metrics of both consumers on ${metricsServer.url} (stream="for-await" and stream="rx").`,
      );
    }

    // 1. Rules: dry run, then for real.
    const desired = (await loadRules(options.rulesFile)).rules.map(({ value, tag }) =>
      tag === undefined ? { value } : { value, tag },
    );
    const rules = new RulesClient({ bearerToken: TOKEN, baseUrl: emu.url });
    const dry = await rules.sync(desired, { dryRun: true, prune: true });
    print(
      `rules sync (dry run): would add ${dry.plan.toAdd.length}, delete ${dry.plan.toDelete.length}, keep ${dry.plan.unchanged.length} — server unchanged: ${emu.rules().length} rule(s).`,
    );
    const real = await rules.sync(desired, { prune: true });
    print(
      `rules sync: added ${real.outcome.created.length}, deleted ${real.outcome.deleted}${real.ok ? '' : ' (with problems)'}; active rules: ${emu
        .rules()
        .map((r) => r.tag ?? r.value)
        .join(', ')}.`,
    );
    print();

    // 2. Two consumers side by side, in emulated time.
    const faults: string[] = [];
    const dashboard = new Dashboard(out);
    const owner = (connectionId: number | undefined) => {
      const ua = emu.stats().connections.find((c) => c.id === connectionId)?.userAgent ?? '';
      return ua.startsWith('demo-rx')
        ? 'RxJS pipeline'
        : ua.startsWith('demo-for-await')
          ? 'for await'
          : 'next connection';
    };
    emu.on('fault', ({ fault }) => {
      const where = fault.connectionId ? ` #${fault.connectionId}` : ' (next connect)';
      faults.push(`${fault.type}${where}`);
      dashboard.note(`  fault: ${fault.type} → ${owner(fault.connectionId)}`);
    });
    emu.on('rejected', ({ rejection }) => {
      const who = rejection.userAgent?.startsWith('demo-rx') ? 'RxJS pipeline' : 'for await';
      dashboard.note(`  ${who}: reconnect refused with ${rejection.status} (${rejection.reason})`);
    });
    emu.on('connected', (e) => {
      if (e.connectionId <= 2) return;
      const who = e.userAgent?.startsWith('demo-rx') ? 'RxJS pipeline' : 'for await';
      // The number is the emulator's count of connections since it started (both consumers).
      dashboard.note(
        `  ${who}: reconnected (emulator connection #${e.connectionId}${e.backfillMinutes ? `, backfill ${e.backfillMinutes} min` : ''})`,
      );
    });
    const consumers: { tracker: ConsumerTracker; consumer: Consumer; userAgent: string }[] = [];
    const forAwait = new ConsumerTracker('for await', emu.clock);
    consumers.push({
      tracker: forAwait,
      userAgent: 'demo-for-await/1.0',
      consumer: forAwaitConsumer(
        new StreamClient({
          bearerToken: TOKEN,
          baseUrl: emu.url,
          clock: emu.clock,
          userAgent: 'demo-for-await/1.0',
        }),
        forAwait,
        metrics,
      ),
    });
    const rx = new ConsumerTracker('RxJS pipeline', emu.clock);
    consumers.push({
      tracker: rx,
      userAgent: 'demo-rx/1.0',
      consumer: rxConsumer(
        new StreamClient({
          bearerToken: TOKEN,
          baseUrl: emu.url,
          clock: emu.clock,
          userAgent: 'demo-rx/1.0',
        }),
        rx,
        clockScheduler(emu.clock),
        metrics,
      ),
    });

    const started = performance.now();
    const emulatedStart = emu.clock.now();
    const stop = new AbortController();
    signal?.addEventListener('abort', () => stop.abort(), { once: true });
    const header = () => ({
      url: emu.url,
      seed: String(options.seed),
      rate: options.rate,
      timeScale: options.timeScale,
      elapsedSeconds: (performance.now() - started) / 1000,
      durationSeconds: options.durationSeconds,
      faults,
    });
    while (!stop.signal.aborted && performance.now() - started < options.durationSeconds * 1000) {
      dashboard.render(
        header(),
        consumers.map((c) => c.tracker.snapshot()),
      );
      await wait(250, stop.signal);
    }
    dashboard.render(
      header(),
      consumers.map((c) => c.tracker.snapshot()),
    );

    // 3. Stop, then compare what each consumer got with what the emulator sent it.
    await Promise.all(consumers.map((c) => c.consumer.stop()));
    const deadline = performance.now() + 3_000;
    while (emu.stats().openConnections > 0 && performance.now() < deadline) await wait(5);
    const stats = emu.stats();
    print();
    const emulatedMinutes = (emu.clock.now() - emulatedStart) / 60_000;
    print(
      `summary after ${header().elapsedSeconds.toFixed(1)} s (${emulatedMinutes.toFixed(1)} emulated minutes), ${stats.faults.length} faults injected:`,
    );
    let failed = false;
    for (const { tracker, userAgent } of consumers) {
      const connections = stats.connections.filter((c) => c.userAgent?.startsWith(userAgent));
      const report = deliveryReport(connections, tracker.ids);
      const bad = report.lost.length > 0 || report.duplicatesDelivered > 0 || report.unknown > 0;
      failed ||= bad;
      const s = tracker.snapshot();
      print(
        `  ${tracker.name.padEnd(14)} sent ${report.sent}, received ${report.received}, lost ${report.lost.length}, duplicates delivered ${report.duplicatesDelivered}` +
          ` (${connections.length} connections, ${s.reconnects} reconnects, ${s.duplicatesDropped} duplicates dropped, ${report.inFlight} in flight at shutdown)${s.error ? ` — stopped: ${s.error}` : ''}${bad ? '  ✗' : '  ✓'}`,
      );
    }
    const unexpected = stats.rejected.filter((r) => !r.injected);
    if (unexpected.length > 0) {
      failed = true;
      print(
        `  ✗ the emulator refused ${unexpected.length} connection(s) the clients should not have made`,
      );
    }
    print(
      failed
        ? 'Something was lost or duplicated: see above.'
        : 'Every post the emulator sent reached each consumer exactly once.',
    );
    if (!stop.signal.aborted) {
      // 4. Payload drift: a stream whose shapes differ from the spec still delivers.
      print();
      await driftShowcase(print, options.seed);
    }
    return failed ? 1 : 0;
  } finally {
    await metricsServer?.close();
    await emu.close();
  }
}
