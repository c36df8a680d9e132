/**
 * CONTRIBUTING's "Add a stream endpoint" recipe, tried from scratch: the
 * typechecker reads every package's sources with the endpoint table as the
 * recipe leaves it — two rows added, one of an existing family and one of a
 * new family with its new schema file — and a probe that asks for the new
 * rows' parameter and response types. The files are changed in memory only
 * (a compiler host that serves the edited table, the new schema and the
 * probe); nothing is written.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';

const REPO = resolve(fileURLToPath(new URL('../../../../', import.meta.url)));
const CORE = join(REPO, 'packages/core');
const TABLE = join(CORE, 'src/endpoints/endpoint-table.ts');
const SCHEMA = join(CORE, 'src/schemas/dm-event.ts');
/** In rx's tests, where both `@birdstream/core` and `@birdstream/rx` resolve. */
const PROBE = join(REPO, 'packages/rx/test/recipe-probe.ts');
/** The packages a new row must not break: every package with sources. */
const PACKAGES = readdirSync(join(REPO, 'packages')).filter((name) =>
  existsSync(join(REPO, 'packages', name, 'src')),
);

/** Step 2 of the recipe for a new family: its schema, a plain `wireObject`. */
const NEW_SCHEMA = `import { z } from 'zod';
import { IdString, wireObject } from './primitives.js';
import { Problem } from './problems.js';

/** A direct-message event. */
export const DmEvent = wireObject({ id: IdString, text: z.string().optional() });

/** One message of the DM events stream. */
export const DmEventStreamResponse = wireObject({
  data: DmEvent.optional(),
  errors: z.array(Problem).optional(),
});
`;

/** Step 1: the rows (a post stream of an existing family, and a stream of a new family). */
const NEW_ROWS = `  'firehose-fr': languageFirehose('fr', 4),
  'dm-events': {
    name: 'dm-events',
    path: '/2/dm_events/stream',
    label: 'DM events stream',
    family: 'dm-events',
    partitions: { max: 3 },
    selection: 'none',
    fields: {},
    recovery: true,
    backfill: false,
    schema: DmEventStreamResponse,
    dedupeKey: postKey,
  },
`;

/** What a user of the new rows writes: their types must be the rows' facts, never `never`. */
const PROBE_SOURCE = `import type {
  FirehoseLanguage,
  LanguageFirehoseParams,
  PartitionedStreamName,
  SampleStreamResponseFor,
  StreamParamsFor,
  StreamResponseFor,
} from '@birdstream/core';
import { StreamClient } from '@birdstream/core';
import { fromStream } from '@birdstream/rx';

type Is<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function yes<T extends true>(): T | undefined { return undefined; }

yes<Is<StreamParamsFor<'dm-events'>, { partition: 1 | 2 | 3; start_time?: string; end_time?: string }>>();
yes<Is<StreamResponseFor<'dm-events'>['data'], { id: string; text?: string | undefined }>>();
yes<Is<StreamResponseFor<'firehose-fr', { 'tweet.fields': ['lang'] }>, SampleStreamResponseFor<{ 'tweet.fields': ['lang'] }>>>();
yes<Is<StreamParamsFor<'firehose-fr'>['partition'], 1 | 2 | 3 | 4>>();
yes<Is<'fr' extends FirehoseLanguage ? true : false, true>>();
yes<Is<'dm-events' extends PartitionedStreamName ? true : false, true>>();

const client = new StreamClient({ bearerToken: 't' });
const params: LanguageFirehoseParams<'fr'> = { partition: 4 };
client.firehoseLang('fr', params);
client.partitions('dm-events', { partitions: 'all' });
fromStream(client, 'dm-events', { partition: 2 });
// @ts-expect-error the new stream has three partitions
client.partitions('dm-events', { partitions: [4] });
`;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The endpoint table as the recipe leaves it: the new schema imported, the rows appended. */
function editedTable(): string {
  const table = readFileSync(TABLE, 'utf8');
  const end = '} as const satisfies Record<string, StreamEndpointInfo>;';
  expect(table).toContain(end);
  return `import { DmEventStreamResponse } from '../schemas/dm-event.js';\n${table.replace(end, `${NEW_ROWS}${end}`)}`;
}

function typecheck(): ts.Diagnostic[] {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(CORE, 'tsconfig.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  );
  if (config === undefined) throw new Error('packages/core/tsconfig.json could not be read.');
  const overlay = new Map([
    [TABLE, editedTable()],
    [SCHEMA, NEW_SCHEMA],
    [PROBE, PROBE_SOURCE],
  ]);
  const host = ts.createCompilerHost(config.options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (file) => overlay.get(resolve(file)) ?? readFile(file);
  host.fileExists = (file) => overlay.has(resolve(file)) || fileExists(file);
  const roots = [
    ...PACKAGES.flatMap((name) => sourceFiles(join(REPO, 'packages', name, 'src'))),
    SCHEMA,
    PROBE,
  ];
  const program = ts.createProgram({ rootNames: roots, options: config.options, host });
  return [...program.getSyntacticDiagnostics(), ...program.getSemanticDiagnostics()];
}

function describeDiagnostic(diagnostic: ts.Diagnostic): string {
  const where = diagnostic.file
    ? `${diagnostic.file.fileName.slice(REPO.length + 1)}:${diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line + 1}`
    : '';
  return `${where} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`;
}

describe('adding a stream is one row (and a schema for a new family)', () => {
  // One typecheck of every package's sources: about 10-20 s of CPU; the bound is generous
  // because the suite shares a 2-core machine with other test files (over a minute under load).
  test('every package typechecks, and the new rows have their own types', {
    timeout: 240_000,
  }, () => {
    const problems = typecheck().map(describeDiagnostic);
    // The one place a new family asks for more: the emulator must learn to produce its messages
    // (a feed) and how X's playground serves them, and the compiler says so, naming the family
    // (CONTRIBUTING, step 2 of the recipe).
    const emulator = problems.filter(
      (text) =>
        text.startsWith('packages/testing/src/traffic/feeds/feeds.ts') ||
        text.startsWith('packages/testing/src/traffic/drift/playground-drift.ts'),
    );
    expect(emulator).toHaveLength(2);
    for (const text of emulator) expect(text).toContain('Property \'"dm-events"\' is missing');
    expect(problems.filter((text) => !emulator.includes(text))).toEqual([]);
  });
});
