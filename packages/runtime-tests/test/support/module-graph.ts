import { builtinModules } from 'node:module';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';
import { PACKAGE_DIR } from './run-script.js';

/** The repository's root: module ids are shown relative to it. */
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

const BUILTINS = new Set(builtinModules);

/** A Node built-in module, with or without `node:` (`fs` and `node:fs` alike). */
export function isNodeBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || BUILTINS.has(specifier);
}

/** One module of a graph: what it imports statically and with `import()`. */
export interface GraphModule {
  imports: string[];
  dynamicImports: string[];
}

/** The modules an entry reaches, by path from the repository's root (built-ins by specifier). */
export interface ModuleGraph {
  /** The file each entry specifier resolved to. */
  entries: Map<string, string>;
  modules: Map<string, GraphModule>;
}

/**
 * Resolves `specifiers` (bare, from this package, so the built workspace
 * packages under their `exports`) with exactly `conditions`, and reads the
 * module graph they reach, as rolldown's resolver (oxc) sees it. Nothing is
 * bundled or run; built-ins are left external.
 */
export async function moduleGraph(
  specifiers: string[],
  conditions: string[],
): Promise<ModuleGraph> {
  const modules = new Map<string, GraphModule>();
  const entries = new Map<string, string>();
  const name = (id: string) => (isNodeBuiltin(id) ? id : relative(ROOT, id));
  const bundle = await rolldown({
    input: Object.fromEntries(specifiers.map((specifier, i) => [`entry${i}`, specifier])),
    platform: 'neutral',
    cwd: PACKAGE_DIR,
    resolve: { conditionNames: conditions },
    external: isNodeBuiltin,
    logLevel: 'silent',
    plugins: [
      {
        name: 'module-graph',
        async buildStart() {
          for (const specifier of specifiers) {
            const resolved = await this.resolve(specifier, undefined, { isEntry: true });
            if (resolved) entries.set(specifier, name(resolved.id));
          }
        },
        buildEnd() {
          for (const id of this.getModuleIds()) {
            const info = this.getModuleInfo(id);
            if (info === null || isNodeBuiltin(id)) continue;
            modules.set(name(id), {
              imports: info.importedIds.map(name),
              dynamicImports: info.dynamicallyImportedIds.map(name),
            });
          }
        },
      },
    ],
  });
  try {
    await bundle.generate({ format: 'esm' });
  } finally {
    await bundle.close();
  }
  return { entries, modules };
}

/** The modules `from` reaches through static imports only (loaded with it), or through `import()` too. */
export function reachable(graph: ModuleGraph, from: string, dynamic: boolean): Set<string> {
  const seen = new Set<string>();
  const visit = (id: string) => {
    if (seen.has(id)) return;
    seen.add(id);
    const module = graph.modules.get(id);
    if (module === undefined) return;
    for (const next of module.imports) visit(next);
    if (dynamic) for (const next of module.dynamicImports) visit(next);
  };
  visit(from);
  return seen;
}

/** `<module> → <built-in>` for each Node built-in that one of `ids` imports, statically or with `import()`. */
export function nodeImportsOf(graph: ModuleGraph, ids: Iterable<string>): string[] {
  const found: string[] = [];
  for (const id of ids) {
    const module = graph.modules.get(id);
    if (module === undefined) continue;
    for (const target of [...module.imports, ...module.dynamicImports]) {
      if (isNodeBuiltin(target)) found.push(`${id} → ${target}`);
    }
  }
  return found;
}

/** Those of `ids` that import a Node built-in, statically or with `import()`. */
export function modulesImportingNode(graph: ModuleGraph, ids: Iterable<string>): Set<string> {
  return new Set(
    [...ids].filter((id) =>
      [
        ...(graph.modules.get(id)?.imports ?? []),
        ...(graph.modules.get(id)?.dynamicImports ?? []),
      ].some(isNodeBuiltin),
    ),
  );
}
