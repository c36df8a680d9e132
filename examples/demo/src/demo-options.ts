import { parseArgs } from 'node:util';

/** Options of the demo, from the command line. */
export interface DemoOptions {
  /** Real seconds to run. */
  durationSeconds: number;
  seed: number | string;
  rate: number;
  timeScale: number;
  faults: 'random' | 'none';
  /** Mean emulated ms between random faults. */
  faultIntervalMs: number;
  /** Rules file to sync. */
  rulesFile: string;
  /** `stream`: the filtered stream read two ways; `webhook`: the filtered stream delivered by webhook. */
  mode: 'stream' | 'webhook';
  /** Serve Prometheus metrics of both consumers on this port (0: a free one), if set. */
  metricsPort: number | undefined;
}

export const DEMO_USAGE = `Usage: npx -y pnpm@10.34.8 demo [options]   (or node examples/demo/dist/demo.js [options])

Starts the X API emulator in-process, syncs a rules file (dry run, then for real), and reads the
filtered stream with a for-await loop and an RxJS pipeline side by side while faults strike.

Options:
  --duration <s>        real seconds to run                        [30]
  --seed <n|text>       seed of the traffic and the faults         [1]
  --rate <n>            posts per emulated second                  [50]
  --time-scale <n>      emulated time runs n times faster          [10]
  --faults <mode>       random or none                             [random]
  --fault-interval <ms> mean emulated ms between faults            [40000]
  --rules <file>        rules file to sync                         [examples/rules.json]
  --mode <mode>         stream, or webhook: X pushes the posts to a
                        verified, deduplicated webhook receiver    [stream]
  --metrics-port <n>    serve Prometheus metrics of both consumers on
                        http://127.0.0.1:<n>/metrics (0: a free port) [off]
  -h, --help            show this help`;

function number(value: string | undefined, name: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min)
    throw new Error(`--${name} must be a number >= ${min}, got "${value}".`);
  return n;
}

/** Parses the command line; `undefined` means help was printed. */
export function parseDemoArgs(
  argv: readonly string[],
  defaultRulesFile: string,
): DemoOptions | undefined {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      duration: { type: 'string' },
      seed: { type: 'string' },
      rate: { type: 'string' },
      'time-scale': { type: 'string' },
      faults: { type: 'string' },
      'fault-interval': { type: 'string' },
      rules: { type: 'string' },
      mode: { type: 'string' },
      'metrics-port': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return undefined;
  const faults = values.faults ?? 'random';
  if (faults !== 'random' && faults !== 'none')
    throw new Error(`--faults must be "random" or "none", got "${faults}".`);
  const mode = values.mode ?? 'stream';
  if (mode !== 'stream' && mode !== 'webhook')
    throw new Error(`--mode must be "stream" or "webhook", got "${mode}".`);
  const seed = values.seed ?? '1';
  return {
    durationSeconds: number(values.duration, 'duration', 30, 1),
    seed: /^-?\d+$/.test(seed) ? Number(seed) : seed,
    rate: number(values.rate, 'rate', 50, 1),
    timeScale: number(values['time-scale'], 'time-scale', 10, 1),
    faults,
    faultIntervalMs: number(values['fault-interval'], 'fault-interval', 40_000, 1_000),
    rulesFile: values.rules ?? defaultRulesFile,
    mode,
    metricsPort:
      values['metrics-port'] === undefined
        ? undefined
        : number(values['metrics-port'], 'metrics-port', 0, 0),
  };
}
