/**
 * Interleaved CPU-time comparison of a few variants: each round runs every
 * variant once (a, b, c, a, b, c, …) and measures this process's CPU time
 * (`process.cpuUsage`), not wall time, so a shared or busy machine skews all
 * variants alike. Reports the median per variant and its throughput relative
 * to the first variant.
 */
export interface CpuComparison {
  name: string;
  medianMs: number;
  /** Throughput as a fraction of the first variant's (1 = as fast). */
  relative: number;
}

export function compareCpu(
  variants: Record<string, () => void>,
  options: { rounds?: number; warmup?: number } = {},
): CpuComparison[] {
  const rounds = options.rounds ?? 30;
  const warmup = options.warmup ?? 5;
  const names = Object.keys(variants);
  const samples = new Map<string, number[]>(names.map((name) => [name, []]));
  for (let round = 0; round < rounds + warmup; round++) {
    for (const name of names) {
      const start = process.cpuUsage();
      variants[name]?.();
      const used = process.cpuUsage(start);
      if (round >= warmup) samples.get(name)?.push((used.user + used.system) / 1000);
    }
  }
  const medians = names.map((name) => median(samples.get(name) ?? []));
  const first = medians[0] ?? 1;
  return names.map((name, i) => ({
    name,
    medianMs: medians[i] ?? 0,
    relative: first / (medians[i] ?? 1),
  }));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
