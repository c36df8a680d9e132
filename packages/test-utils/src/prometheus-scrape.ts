/// <reference path="./parse-prometheus-text-format.d.ts" />
import parsePrometheusTextFormat from 'parse-prometheus-text-format';

/** One series of a scrape. */
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
const SAMPLE_VALUE =
  /^(?:[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|[+-]?Inf|NaN)$/;

/**
 * Parses Prometheus's text exposition format with `parse-prometheus-text-format`
 * (the format parser of prom2json's output shape), and checks what that
 * lenient parser lets through: every family has a TYPE and a HELP line, a
 * valid name, and every value is a number as the format writes them.
 */
export function parseScrape(text: string): Scrape {
  const families = new Map<string, ScrapedFamily>();
  for (const family of parsePrometheusTextFormat(text)) {
    if (!NAME.test(family.name)) throw new Error(`Invalid metric name '${family.name}'.`);
    if (family.type === 'UNTYPED') throw new Error(`${family.name} has no TYPE line.`);
    if (!family.help) throw new Error(`${family.name} has no HELP text.`);
    if (families.has(family.name)) throw new Error(`${family.name} appears twice.`);
    const samples = family.metrics.map((metric) => {
      const raw = metric.value ?? '';
      if (!SAMPLE_VALUE.test(raw)) {
        throw new Error(`${family.name}: '${raw}' is not a sample value.`);
      }
      return { labels: metric.labels ?? {}, value: Number(raw.replace('Inf', 'Infinity')) };
    });
    families.set(family.name, {
      name: family.name,
      help: family.help,
      type: family.type.toLowerCase(),
      samples,
    });
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
