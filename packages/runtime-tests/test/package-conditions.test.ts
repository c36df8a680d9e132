import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeEachRuntime } from './support/each-runtime.js';
import { exportConditionsOf } from './support/export-conditions.js';
import {
  type ModuleGraph,
  moduleGraph,
  modulesImportingNode,
  nodeImportsOf,
  reachable,
} from './support/module-graph.js';
import { WORKERD_CONDITIONS } from './workerd/workerd.js';

// The webhook receiver's entry points (and core's, which it imports), resolved from the built
// packages under the export conditions each runtime reads: what each loads must hold no `node:`
// module (nor a bare built-in such as `fs`), so the receiver runs on Bun, Deno and workerd
// without Node's modules. Reading the graph needs no runtime; the conditions of Bun and Deno are
// asked of the runtimes themselves, workerd's are the ones wrangler bundles a Worker with.

type Manifest = { exports: Record<string, Record<string, string>> };
const manifestOf = (name: string) =>
  JSON.parse(
    readFileSync(new URL(`../../${name}/package.json`, import.meta.url), 'utf8'),
  ) as Manifest;
const MANIFESTS: Record<string, Manifest> = {
  webhooks: manifestOf('webhooks'),
  core: manifestOf('core'),
};

const ENTRIES = [
  { specifier: '@birdstream/webhooks', file: 'packages/webhooks/dist/index.js' },
  { specifier: '@birdstream/webhooks/hono', file: 'packages/webhooks/dist/hono.js' },
  { specifier: '@birdstream/webhooks/rx', file: 'packages/webhooks/dist/rx.js' },
  { specifier: '@birdstream/core', file: 'packages/core/dist/index.js' },
  { specifier: '@birdstream/core/internal', file: 'packages/core/dist/internal.js' },
];

/**
 * Core's Node transport (node:http, zlib…), which core reaches only through
 * `import('#node-transport')` and starts only on Node itself (`isNode()` is
 * false on Bun, Deno and workerd): under `node`, which Bun and Deno read too,
 * it is that module; under `workerd`, a stand-in without `node:` imports.
 */
const NODE_TRANSPORT = 'packages/core/dist/transport/node-transport.js';

/**
 * For each entry, under `conditions`: it resolves to its build, its package
 * names `runtime`'s condition for it, what it loads with it imports no Node
 * built-in, and what it may load later with `import()` reaches one only in
 * `allowedLater` (a module loaded with `import()` only). Returns the graph.
 */
async function expectNoNodeModules(
  runtime: string,
  conditions: string[],
  allowedLater: string[],
): Promise<ModuleGraph> {
  const graph = await moduleGraph(
    ENTRIES.map((entry) => entry.specifier),
    conditions,
  );
  for (const { specifier, file } of ENTRIES) {
    expect(graph.entries.get(specifier), specifier).toBe(file);
    const [, name, subpath] = /^@birdstream\/([^/]+)(\/.*)?$/.exec(specifier) ?? [];
    const exportsEntry = MANIFESTS[name ?? '']?.exports[`.${subpath ?? ''}`] ?? {};
    expect(Object.keys(exportsEntry), `${specifier} names the ${runtime} condition`).toContain(
      runtime,
    );
    const loaded = reachable(graph, file, false);
    expect(loaded.size, `${specifier} reaches its modules`).toBeGreaterThan(1);
    expect(nodeImportsOf(graph, loaded), `${specifier}, loaded on ${runtime}`).toEqual([]);
    const later = [...reachable(graph, file, true)].filter((id) => !loaded.has(id));
    const withNode = modulesImportingNode(graph, later);
    expect(
      [...withNode].filter((id) => !allowedLater.includes(id)),
      `${specifier}, loaded later with import() on ${runtime}`,
    ).toEqual([]);
  }
  return graph;
}

describeEachRuntime((runtime) => {
  it("reads its own export condition, and the receiver's entries load no node: module under the conditions it reads", async () => {
    const conditions = await exportConditionsOf(runtime);
    expect(conditions).toContain(runtime.name);
    // Both also read `node`: core's `#node-transport` import then maps to the Node transport,
    // which core imports only on Node.
    expect(conditions).toContain('node');
    const graph = await expectNoNodeModules(
      runtime.name,
      [...conditions, 'default'],
      [NODE_TRANSPORT],
    );
    // The receiver's entry does reach it with import() (core's); nothing else does.
    const all = reachable(graph, 'packages/webhooks/dist/index.js', true);
    expect(modulesImportingNode(graph, all)).toEqual(new Set([NODE_TRANSPORT]));
  });
});

describe('workerd (the conditions wrangler bundles a Worker with)', () => {
  it("the receiver's entries reach no node: module at all, with import() or without", async () => {
    await expectNoNodeModules('workerd', WORKERD_CONDITIONS, []);
  });
});
