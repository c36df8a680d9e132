import { getMetricsFromIterator } from 'prom2javascript';

/** One series of a scrape (for a histogram or summary, `value` is its count). */
export interface ScrapedSample {
  labels: Record<string, string>;
  value: number;
}

/** One metric family of a scrape. */
export interface ScrapedFamily {
  name: string;
  help: string;
  type: string;
  samples: ScrapedSample[];
}

/** A parsed scrape, with look-ups by name and labels. */
export interface Scrape {
  readonly families: ReadonlyMap<string, ScrapedFamily>;
  /** The samples of `name` whose labels include `labels`. */
  samples(name: string, labels?: Record<string, string>): ScrapedSample[];
  /** The one sample of `name` with `labels`; `undefined` when none, an error when several. */
  value(name: string, labels?: Record<string, string>): number | undefined;
  /** The sum over the samples of `name` whose labels include `labels` (0 when none). */
  sum(name: string, labels?: Record<string, string>): number;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/**
 * Parses Prometheus's text exposition format with `prom2javascript` (which
 * rejects a malformed label set or sample value), and checks what a parser
 * lets through: every family has a TYPE line and a HELP text and a valid
 * name, and no series appears twice.
 */
export async function parseScrape(text: string): Promise<Scrape> {
  // The format allows NaN and ±Inf, in any case as Prometheus reads them (Go's ParseFloat), and
  // prom-client writes "Nan" (an event-loop gauge before its first sample); prom2javascript reads
  // only +Inf. Those values pass through it as sentinel numbers and are restored below.
  const lines = text.split('\n').map((line) => line.replace(/ ([+-]?)(nan|inf)$/i, toSentinel));
  const parsed = await getMetricsFromIterator(lines[Symbol.iterator]());
  const families = new Map<string, ScrapedFamily>();
  for (const [name, family] of Object.entries(parsed)) {
    if (!NAME.test(name)) throw new Error(`Invalid metric name '${name}'.`);
    if (family.type === 'unknown') throw new Error(`${name} has no TYPE line.`);
    if (!family.help) throw new Error(`${name} has no HELP text.`);
    const seen = new Set<string>();
    const samples = family.data.map((data) => {
      const key = JSON.stringify(Object.entries(data.labels).sort());
      if (seen.has(key)) throw new Error(`${name} has the series ${key} twice.`);
      seen.add(key);
      const raw = 'value' in data ? data.value : data.count;
      if (typeof raw !== 'number') throw new Error(`${name} ${key} has no value.`);
      return { labels: data.labels, value: SENTINELS.get(raw) ?? raw };
    });
    families.set(name, { name, help: family.help, type: family.type, samples });
  }
  const matching = (name: string, labels: Record<string, string> = {}) =>
    (families.get(name)?.samples ?? []).filter((sample) =>
      Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
    );
  return {
    families,
    samples: matching,
    value(name, labels) {
      const found = matching(name, labels);
      if (found.length > 1) {
        throw new Error(`${name} ${JSON.stringify(labels ?? {})} matches ${found.length} series.`);
      }
      return found[0]?.value;
    },
    sum: (name, labels) => matching(name, labels).reduce((total, s) => total + s.value, 0),
  };
}

/** Fetches `url` (a `/metrics` endpoint) and parses it; throws on a status other than 200. */
export async function scrape(url: string): Promise<Scrape> {
  const response = await fetch(url);
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}: ${text}`);
  const type = response.headers.get('content-type') ?? '';
  if (!type.startsWith('text/plain')) throw new Error(`GET ${url}: content-type ${type}.`);
  return parseScrape(text);
}

/** Values prom2javascript cannot read, as numbers no exporter writes, and back. */
const NAN = -1.5e-300;
const MINUS_INF = -2.5e-300;
const SENTINELS = new Map<number, number>([
  [NAN, Number.NaN],
  [MINUS_INF, Number.NEGATIVE_INFINITY],
]);

function toSentinel(_match: string, sign: string, word: string): string {
  if (word.toLowerCase() === 'nan') return ` ${NAN}`;
  return sign === '-' ? ` ${MINUS_INF}` : ' +Inf';
}
