// Measures the memory a TimedIdWindow holds at a steady rate of posts, per remembered id.
// Usage: pnpm --filter @birdstream/core build
//        node --expose-gc scripts/measure-dedupe-memory.mjs [postsPerSecond=1000] [minutes=20]
// The figure goes into TimedIdWindow's doc comment and decisions/0011-dedupe-by-time.md.
import { TimedIdWindow } from '../packages/core/dist/index.js';

if (typeof globalThis.gc !== 'function') {
  console.error('Run with node --expose-gc.');
  process.exit(2);
}
const rate = Number(process.argv[2] ?? 1_000);
const minutes = Number(process.argv[3] ?? 20);
const clock = { time: 0, now: () => clock.time };

globalThis.gc();
const before = process.memoryUsage().heapUsed;
const window = new TimedIdWindow({ clock });
const base = 1_900_000_000_000_000_000n;
const total = rate * 60 * minutes;
let peak = 0;
for (let i = 0; i < total; i++) {
  // Ids as they arrive: fresh 19-digit strings parsed from the wire.
  window.seen(String(base + BigInt(i * 7919)));
  clock.time += 1_000 / rate;
  if (i % (rate * 15) === 0 && clock.time > window.retainMs) {
    globalThis.gc();
    peak = Math.max(peak, process.memoryUsage().heapUsed - before);
  }
}
const held = window.count;
console.log(
  `${rate} posts/s for ${minutes} min, ${held} ids remembered (${window.retainMs / 60_000} min): ` +
    `peak ${(peak / 1e6).toFixed(1)} MB, ${(peak / held).toFixed(0)} bytes per remembered id`,
);
