/**
 * Seeded, counter-based randomness. Every generated object (post `n`, user
 * `k`, the fault plan, ...) gets its own generator derived from the emulator
 * seed and a key, so any object can be rebuilt on its own, in any order, and
 * the same seed always yields the same traffic.
 */

/** The murmur3 32-bit finaliser: a cheap, well-spread integer hash. */
export function mix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hashes a seed and a list of integer keys into one 32-bit value. */
export function hashKeys(seed: number, ...keys: number[]): number {
  let h = mix32(seed ^ 0x9e3779b9);
  for (const key of keys) {
    h = mix32(h ^ mix32((key >>> 0) + 0x7f4a7c15) ^ Math.floor(key / 0x1_0000_0000));
  }
  return h;
}

/** Turns a string or number seed into the 32-bit seed the generators use. */
export function normalizeSeed(seed: number | string): number {
  if (typeof seed === 'number') return mix32(seed >>> 0) ^ mix32(Math.floor(seed / 0x1_0000_0000));
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A small fast PRNG (sfc32) with the helpers the generators need. */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A uniform number in [0, 1). */
  next(): number {
    return this.nextUint32() / 0x1_0000_0000;
  }

  /** A uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element, uniformly. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** One value, with probability proportional to its weight. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of entries) total += w;
    let r = this.next() * total;
    for (const [value, w] of entries) {
      r -= w;
      if (r < 0) return value;
    }
    return (entries[entries.length - 1] as readonly [T, number])[0];
  }

  /** An exponentially distributed value with the given mean. */
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  /** `length` characters of [0-9A-Za-z] (t.co-style slugs). */
  base62(length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += BASE62[this.nextUint32() % 62];
    return out;
  }

  /** `length` lowercase hex digits. */
  hex(length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += (this.nextUint32() & 15).toString(16);
    return out;
  }
}

/** Streams of randomness, one per kind of object, so they never interfere. */
export const STREAM = {
  post: 1,
  user: 2,
  timing: 3,
  faults: 4,
  rules: 5,
  reference: 6,
  connection: 7,
  /** Which partition of its stream an item belongs to. */
  partition: 8,
  /** The items of the stream families other than posts (likes, compliance, labels, activity). */
  item: 9,
  /** Each stream family's own timeline. */
  family: 10,
} as const;

/** The generator for object `index` of kind `stream` under `seed`. */
export function prngFor(seed: number, stream: number, index = 0): Prng {
  return new Prng(hashKeys(seed, stream, index));
}
