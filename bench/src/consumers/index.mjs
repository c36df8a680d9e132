// @ts-check
/**
 * The consumers, in table order. `file` is the adapter in this folder; the
 * first one is the reference every ratio divides by.
 */

/**
 * @typedef {object} ConsumerInfo
 * @property {string} file adapter module name
 * @property {string} label row label
 * @property {string} library what it runs (with the version, filled in at run time)
 * @property {'bun' | 'deno'} [runtime] the runtime its process runs on (default: the Node running the benchmark)
 */

/** @type {readonly ConsumerInfo[]} */
export const CONSUMERS = [
  { file: 'raw-http', label: 'raw node:http (+ zlib)', library: 'node:http' },
  { file: 'raw-fetch', label: 'raw fetch', library: 'fetch' },
  {
    file: 'birdstream-core',
    label: "birdstream core, validate 'off'",
    library: '@birdstream/core',
  },
  {
    file: 'birdstream-core-tolerant',
    label: "birdstream core, validate 'tolerant' (default)",
    library: '@birdstream/core',
  },
  {
    file: 'birdstream-core-strict',
    label: "birdstream core, validate 'strict'",
    library: '@birdstream/core',
  },
  { file: 'birdstream-rx', label: "birdstream rx, validate 'off'", library: '@birdstream/rx' },
  {
    file: 'birdstream-core-bun',
    label: "birdstream core on Bun, validate 'off'",
    library: '@birdstream/core',
    runtime: 'bun',
  },
  {
    file: 'birdstream-core-deno',
    label: "birdstream core on Deno, validate 'off'",
    library: '@birdstream/core',
    runtime: 'deno',
  },
  { file: 'twitter-api-v2', label: 'twitter-api-v2', library: 'twitter-api-v2' },
  { file: 'twitter-api-sdk', label: 'twitter-api-sdk', library: 'twitter-api-sdk' },
  { file: 'xdk', label: '@xdevplatform/xdk', library: '@xdevplatform/xdk' },
];
