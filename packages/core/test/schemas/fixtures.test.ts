import { readFixtureText } from '@birdstream/test-utils';
import { describe, expect, test } from 'vitest';
import type { z } from 'zod';
import { createMessageParser } from '../../src/decode/index.js';
import {
  Includes,
  Media,
  Place,
  Poll,
  Problem,
  StreamResponse,
  Tweet,
  User,
} from '../../src/schemas/index.js';
import {
  dataKind,
  fixtureDocuments,
  fixtureFiles,
  fixtureFolders,
  recordedRequests,
} from './fixture-walk.js';

type Kind = 'tweets' | 'users' | 'media' | 'places' | 'polls' | 'problems' | 'includes';

/** Parses `value` with `schema`, failing the test with the file and the issues if it does not match. */
function expectParses(schema: z.ZodType, value: unknown, where: string): void {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new Error(`${where} does not parse:\n${JSON.stringify(result.error.issues, null, 2)}`);
  }
}

function asArray(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** Counts per object kind, so a fixture cannot be skipped silently. */
class Tally {
  readonly counts: Record<Kind, number> = {
    tweets: 0,
    users: 0,
    media: 0,
    places: 0,
    polls: 0,
    problems: 0,
    includes: 0,
  };

  check(kind: Kind, schema: z.ZodType, values: unknown[], where: string): void {
    values.forEach((value, i) => {
      expectParses(schema, value, `${where} ${kind}[${i}]`);
    });
    this.counts[kind] += values.length;
  }

  /** `includes` and each object in it. */
  includes(includes: unknown, where: string): void {
    if (includes === undefined) return;
    this.check('includes', Includes, [includes], where);
    const inc = includes as Record<string, unknown>;
    this.check('tweets', Tweet, asArray(inc.tweets), `${where} includes`);
    this.check('users', User, asArray(inc.users), `${where} includes`);
    this.check('media', Media, asArray(inc.media), `${where} includes`);
    this.check('places', Place, asArray(inc.places), `${where} includes`);
    this.check('polls', Poll, asArray(inc.polls), `${where} includes`);
  }
}

test('the fixture folders are the ones this suite knows (a new folder must be added here)', () => {
  // rules/ holds rule-management responses: @birdstream/rules tests them; oas-examples/
  // holds the other streams' messages: stream-families.test.ts tests them.
  // x-playground: whole recorded bodies, replayed by test/client/x-playground.test.ts.
  expect(fixtureFolders()).toEqual([
    'errors',
    'oas-examples',
    'objects',
    'rules',
    'stream',
    'x-playground',
  ]);
});

describe('every recorded stream message parses', () => {
  const files = fixtureFiles('stream');
  const parse = createMessageParser({ validate: 'strict' });

  test('with the StreamResponse schema and the strict message parser', () => {
    const tally = new Tally();
    let messages = 0;
    for (const file of files) {
      const lines = file.endsWith('.jsonl')
        ? readFixtureText(file)
            .split('\n')
            .filter((line) => line !== '')
        : [readFixtureText(file)];
      lines.forEach((text, i) => {
        const where = `${file}:${i + 1}`;
        const parsed = parse({ text, byteLength: text.length });
        expect(parsed.type, where).toBe('response');
        const message = fixtureDocuments(file)[i] as Record<string, unknown>;
        expectParses(StreamResponse, message, where);
        tally.check('tweets', Tweet, asArray(message.data), where);
        tally.includes(message.includes, where);
        tally.check('problems', Problem, asArray(message.errors), where);
        messages++;
      });
    }
    expect(files).toHaveLength(10);
    expect(messages).toBe(18); // 9 single-message files + the 9 lines of streaming_output.jsonl
    expect(tally.counts).toEqual({
      tweets: 24, // 16 posts in `data` + 8 in `includes.tweets`
      users: 24,
      media: 4,
      places: 16,
      polls: 0,
      problems: 2, // the operational disconnect, in its file and in the .jsonl
      includes: 16,
    });
  });
});

describe('every recorded REST object parses (posts, users, media, places, polls)', () => {
  test('data and includes of every file under objects/', () => {
    const requests = recordedRequests();
    const tally = new Tally();
    const skipped: Record<string, string[]> = {};
    const skip = (kind: string, file: string) => {
      skipped[kind] = [...(skipped[kind] ?? []), file];
    };
    const files = fixtureFiles('objects');
    for (const file of files) {
      for (const document of fixtureDocuments(file)) {
        const doc = document as Record<string, unknown>;
        const twarc = doc.__twarc as { url?: string } | undefined;
        const request = twarc?.url ? { method: 'GET', url: twarc.url } : requests.get(file);
        if (!request) {
          // twarc-csv compliance records ({id, action, created_at, reason}): not an API object of ours.
          expect(doc, file).toHaveProperty('action');
          skip('compliance', file);
          continue;
        }
        const kind = dataKind(request.method, request.url);
        if (kind === 'tweets' || kind === 'users') {
          tally.check(kind, kind === 'tweets' ? Tweet : User, asArray(doc.data), file);
        } else {
          skip(kind, file);
        }
        tally.includes(doc.includes, file);
        tally.check('problems', Problem, asArray(doc.errors), file);
      }
    }
    expect(files).toHaveLength(86);
    expect(Object.fromEntries(Object.entries(skipped).map(([k, v]) => [k, v.length]))).toEqual({
      compliance: 4,
      counts: 1,
      spaces: 6,
      'action-result': 3,
    });
    expect(tally.counts).toEqual({
      tweets: 1714,
      users: 2400,
      media: 118,
      places: 11,
      polls: 3,
      problems: 356, // partial errors (resource-not-found, not-authorized-for-resource, …)
      includes: 32,
    });
  });
});

describe('every recorded error body parses as a Problem', () => {
  test('top-level problems and the problems inside `errors`', () => {
    const tally = new Tally();
    const plainText: string[] = [];
    const files = fixtureFiles('errors');
    for (const file of files) {
      if (file.endsWith('.txt')) {
        plainText.push(file); // e.g. "Rate limit exceeded": handled by parseProblemBody as text
        continue;
      }
      const body = fixtureDocuments(file)[0] as Record<string, unknown>;
      if ('type' in body || 'title' in body) tally.check('problems', Problem, [body], file);
      tally.check('problems', Problem, asArray(body.errors).filter(isProblemLike), file);
    }
    expect(files).toHaveLength(13);
    expect(plainText).toEqual(['errors/rest_429_rate_limit_plaintext_2020.txt']);
    expect(tally.counts.problems).toBe(12); // 11 JSON bodies, one with a problem inside `errors` too
  });
});

/** `errors` of an invalid-request problem hold `{parameters, message}` items, not problems. */
function isProblemLike(value: unknown): boolean {
  return typeof value === 'object' && value !== null && ('type' in value || 'title' in value);
}
