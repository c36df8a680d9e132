// The public surface of every published package, pinned: one report per entry point
// (`packages/<name>/api/<entry>.api.md`) listing each exported declaration as the
// TypeScript declaration emitter writes it (comments removed), then the declarations the
// exports reach but the entry point does not export. `pnpm check:api` compares the reports
// with the sources and fails on any difference; `pnpm api:update` rewrites them. Why a
// script over TypeScript's own declaration emitter and not api-extractor: decisions/0023.
//
//   node scripts/api-report.mjs           compare (exit 1 and say how to regenerate)
//   node scripts/api-report.mjs --update  rewrite the reports
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
/**
 * The published packages (every `packages/*` not marked `private`, so a new package is pinned
 * from its first check); each entry point of their `exports` but `./internal` gets a report.
 */
const PACKAGES = readdirSync(join(ROOT, 'packages'), { withFileTypes: true })
  .filter(
    (entry) =>
      entry.isDirectory() && existsSync(join(ROOT, 'packages', entry.name, 'package.json')),
  )
  .map((entry) => entry.name)
  .filter(
    (name) =>
      !JSON.parse(readFileSync(join(ROOT, 'packages', name, 'package.json'), 'utf8')).private,
  )
  .sort();
/** Entry points that promise nothing (`@birdstream/core/internal`: birdstream's own packages only). */
const UNPINNED = new Set(['./internal', './package.json']);
const UPDATE_COMMAND = 'npx -y pnpm@10.34.8 api:update';

/** Each package's pinned entry points: `{ pkg, name, subpath, source, report }`. */
function entryPoints() {
  return PACKAGES.flatMap((pkg) => {
    const dir = join(ROOT, 'packages', pkg);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    return Object.entries(manifest.exports)
      .filter(([subpath]) => !UNPINNED.has(subpath))
      .map(([subpath, conditions]) => {
        const source = join(dir, conditions['@birdstream/source']);
        const entry = subpath === '.' ? 'index' : subpath.slice(2);
        return {
          pkg,
          name: subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`,
          source,
          report: join(dir, 'api', `${entry}.api.md`),
        };
      });
  });
}

/** The package a source file belongs to (`core` for `packages/core/src/…`), or undefined. */
function packageOf(file) {
  const parts = relative(join(ROOT, 'packages'), file).split(sep);
  return parts[0] !== '..' && parts[1] === 'src' ? parts[0] : undefined;
}

/**
 * Emits the declarations of every package's sources in memory (one program, as
 * `tsc --declaration --emitDeclarationOnly` would) and serves each package's `.d.ts`
 * files at `packages/<name>/.api/<path>.d.ts`, where `@birdstream/*` imports still
 * resolve (to the sibling packages' sources, through the `@birdstream/source` condition).
 */
function emitDeclarations(entries) {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(ROOT, 'packages/core/tsconfig.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => fail(describe(d)) },
  );
  const options = {
    ...config.options,
    noEmit: false,
    declaration: true,
    emitDeclarationOnly: true,
    declarationMap: false,
    sourceMap: false,
    outDir: join(ROOT, '.api-emit'),
    rootDir: join(ROOT, 'packages'),
  };
  const program = ts.createProgram({ rootNames: entries.map((e) => e.source), options });
  const errors = ts.getPreEmitDiagnostics(program);
  if (errors.length > 0) {
    fail(
      `The sources do not typecheck, so no API report was made:\n${errors.map(describe).join('\n')}`,
    );
  }
  const files = new Map();
  program.emit(undefined, (_name, text, _bom, _onError, sources) => {
    const source = sources?.[0]?.fileName;
    const pkg = source && packageOf(source);
    if (!pkg) return;
    const inSrc = relative(join(ROOT, 'packages', pkg, 'src'), source).replace(/\.tsx?$/, '.d.ts');
    files.set(join(ROOT, 'packages', pkg, '.api', inSrc), text);
  });
  return { files, options: config.options };
}

/** A program over the emitted declarations, for reading the entry points' exports. */
function declarationProgram(entries, { files, options }) {
  const host = ts.createCompilerHost(options);
  const { fileExists, readFile, directoryExists } = host;
  const directories = new Set([...files.keys()].flatMap((file) => ancestors(dirname(file))));
  host.fileExists = (file) => files.has(resolve(file)) || fileExists.call(host, file);
  host.readFile = (file) => files.get(resolve(file)) ?? readFile.call(host, file);
  host.directoryExists = (dir) =>
    directories.has(resolve(dir)) || (directoryExists?.call(host, dir) ?? true);
  const roots = entries.map((e) => declarationPath(e.source));
  return ts.createProgram({ rootNames: roots, options: { ...options, noEmit: true }, host });
}

/** `dir` and the directories above it, up to the repository. */
function ancestors(dir) {
  const out = [];
  for (let d = dir; d.startsWith(ROOT) && d !== ROOT; d = dirname(d)) out.push(d);
  return out;
}

function declarationPath(source) {
  const pkg = packageOf(source);
  const inSrc = relative(join(ROOT, 'packages', pkg, 'src'), source).replace(/\.tsx?$/, '.d.ts');
  return join(ROOT, 'packages', pkg, '.api', inSrc);
}

const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });

/** The statement that declares `declaration` (a `const` is printed with its `declare const`). */
function statementOf(declaration) {
  if (ts.isVariableDeclaration(declaration)) return declaration.parent.parent;
  return declaration;
}

/** A zod type reference (`z.ZodObject<…>`), as the declaration emitter writes a schema's type. */
function isZodReference(node) {
  return (
    ts.isTypeReferenceNode(node) &&
    ts.isQualifiedName(node.typeName) &&
    ts.isIdentifier(node.typeName.left) &&
    node.typeName.left.text === 'z'
  );
}

/**
 * `node` with every zod type written at most `depth` zod types deep and elided below
 * (`z.ZodOptional<z.ZodObject<…>>`). The emitter writes a schema's whole zod type, hundreds
 * of lines of zod internals a user never reads; a schema's own fields stay pinned (depth 2:
 * `z.ZodObject<{ id: z.ZodString; attachments: z.ZodOptional<z.ZodObject<…>> }>`), and a
 * schema used inside another declaration (a row's `schema`) shows its zod class alone.
 */
function elideZod(node, depth) {
  const elided = ts.factory.createTypeReferenceNode('…');
  const result = ts.transform(node, [
    (context) => (root) => {
      const visit = (child, level) => {
        if (isZodReference(child)) {
          if (level >= depth || child.typeArguments === undefined) {
            return ts.factory.updateTypeReferenceNode(
              child,
              child.typeName,
              child.typeArguments && ts.factory.createNodeArray([elided]),
            );
          }
          return ts.visitEachChild(child, (c) => visit(c, level + 1), context);
        }
        return ts.visitEachChild(child, (c) => visit(c, level), context);
      };
      return visit(root, 0);
    },
  ]);
  return result.transformed[0];
}

/** True for `export declare const X: z.ZodObject<…>`: a zod schema. */
function isSchema(statement) {
  if (!ts.isVariableStatement(statement)) return false;
  const type = statement.declarationList.declarations[0]?.type;
  return type !== undefined && isZodReference(type);
}

/** The report of one entry point. */
function report(program, entry) {
  const checker = program.getTypeChecker();
  /** A declaration as the report shows it: zod types elided below a schema's own fields. */
  const show = (statement) => {
    const shown = elideZod(statement, isSchema(statement) ? 3 : 1);
    return printer.printNode(ts.EmitHint.Unspecified, shown, statement.getSourceFile());
  };
  const file = program.getSourceFile(declarationPath(entry.source));
  const own = join(ROOT, 'packages', entry.pkg, '.api') + sep;
  const isOwn = (declaration) => declaration.getSourceFile().fileName.startsWith(own);
  const resolveAlias = (symbol) =>
    symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;

  const exported = checker
    .getExportsOfModule(checker.getSymbolAtLocation(file))
    .sort((a, b) => a.name.localeCompare(b.name, 'en'));
  const exportedTargets = new Set(exported.map(resolveAlias));
  const printed = new Set();
  const reached = new Map();

  /** Collects the package's own declarations that `node` names and the entry point does not export. */
  const collect = (node) => {
    const visit = (child) => {
      const name = ts.isTypeReferenceNode(child)
        ? child.typeName
        : ts.isExpressionWithTypeArguments(child)
          ? child.expression
          : ts.isTypeQueryNode(child)
            ? child.exprName
            : undefined;
      if (name !== undefined) {
        const symbol = checker.getSymbolAtLocation(ts.isQualifiedName(name) ? name.left : name);
        const target = symbol && resolveAlias(symbol);
        if (
          target &&
          !exportedTargets.has(target) &&
          !reached.has(target) &&
          target.declarations?.some(isOwn)
        ) {
          reached.set(target, undefined);
          for (const declaration of target.declarations) collect(declaration);
        }
      }
      ts.forEachChild(child, visit);
    };
    visit(node);
  };

  const blocks = [];
  for (const symbol of exported) {
    const target = resolveAlias(symbol);
    const declarations = target.declarations ?? [];
    const local = declarations.filter(isOwn);
    if (local.length === 0) {
      // A name handed on from another package.
      const from = declarations[0] && moduleName(declarations[0].getSourceFile().fileName);
      blocks.push(`export { ${symbol.name} } from '${from ?? 'unknown'}';`);
      continue;
    }
    const text = [];
    for (const declaration of local) {
      const statement = statementOf(declaration);
      if (printed.has(statement)) continue;
      printed.add(statement);
      text.push(show(statement));
      collect(statement);
    }
    if (target.name !== symbol.name && target.name !== 'default') {
      text.push(`export { ${target.name} as ${symbol.name} };`);
    }
    blocks.push(text.join('\n'));
  }

  const unexported = [...reached.keys()]
    .sort((a, b) => a.name.localeCompare(b.name, 'en'))
    .map((symbol) =>
      symbol.declarations
        .filter(isOwn)
        .map((declaration) => show(statementOf(declaration)))
        .join('\n'),
    );

  return [
    `# API report: ${entry.name}`,
    '',
    `<!-- Generated by \`pnpm api:update\` (scripts/api-report.mjs) from the sources: do not edit by hand. -->`,
    '',
    `${exported.length} exported names. Each is printed as its declaration file declares it, comments removed.`,
    '',
    '```ts',
    blocks.join('\n\n'),
    '```',
    '',
    '## Not exported, but reachable from the exports',
    '',
    unexported.length === 0 ? 'None.' : ['```ts', unexported.join('\n\n'), '```'].join('\n'),
    '',
  ].join('\n');
}

/** `@birdstream/core` for a file of packages/core/src, else the bare package of a node_modules path. */
function moduleName(file) {
  const pkg = packageOf(file.replace(`${sep}.api${sep}`, `${sep}src${sep}`));
  if (pkg) return `@birdstream/${pkg}`;
  const match = /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(file);
  return match?.[1].replace('\\', '/');
}

function describe(diagnostic) {
  const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
  if (!diagnostic.file) return text;
  const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
  return `${relative(ROOT, diagnostic.file.fileName)}:${line + 1}: ${text}`;
}

function fail(message) {
  console.error(message);
  process.exit(1);
}

/** The first lines where `expected` and `actual` differ, for the failure message. */
function firstDifferences(expected, actual, max = 12) {
  const a = expected.split('\n');
  const b = actual.split('\n');
  const out = [];
  for (let i = 0; i < Math.max(a.length, b.length) && out.length < max; i++) {
    if (a[i] === b[i]) continue;
    if (a[i] !== undefined) out.push(`    line ${i + 1} pinned: ${a[i]}`);
    if (b[i] !== undefined) out.push(`    line ${i + 1} now:    ${b[i]}`);
  }
  return out;
}

const update = process.argv.includes('--update');
const entries = entryPoints();
const program = declarationProgram(entries, emitDeclarations(entries));
const stale = [];
for (const entry of entries) {
  const text = report(program, entry);
  const pinned = existsSync(entry.report) ? readFileSync(entry.report, 'utf8') : undefined;
  if (pinned === text) continue;
  if (update) {
    mkdirSync(dirname(entry.report), { recursive: true });
    writeFileSync(entry.report, text);
    console.log(`updated ${relative(ROOT, entry.report)}`);
  } else {
    stale.push(
      [
        `  ${entry.name}: ${relative(ROOT, entry.report)} ${pinned === undefined ? 'is missing' : 'differs from the sources'}`,
        ...(pinned === undefined ? [] : firstDifferences(pinned, text)),
      ].join('\n'),
    );
  }
}
if (stale.length > 0) {
  fail(
    [
      'The public API differs from its pinned report:',
      ...stale,
      `If the change is intended, run \`${UPDATE_COMMAND}\`, review the reports' diff and commit it (with a changeset for users).`,
    ].join('\n'),
  );
}
if (!update) console.log(`API reports match the sources (${entries.length} entry points).`);
