import { describe, expect, test } from 'vitest';
import type { z } from 'zod';
import { problemName } from '../../src/errors/problem.js';
import {
  ClientDisconnectedProblem,
  ClientForbiddenProblem,
  ConnectionExceptionProblem,
  FieldUnauthorizedProblem,
  InvalidRequestProblem,
  OperationalDisconnectProblem,
  Problem,
  ResourceNotFoundProblem,
  ResourceUnauthorizedProblem,
  UnsupportedAuthenticationProblem,
  UsageCappedProblem,
} from '../../src/schemas/index.js';
import { fixtureDocuments, fixtureFiles } from './fixture-walk.js';

/** The specific schema for each `/2/problems/<name>` this package models. */
const SPECIFIC: Record<string, z.ZodType> = {
  'operational-disconnect': OperationalDisconnectProblem,
  'streaming-connection': ConnectionExceptionProblem,
  'usage-capped': UsageCappedProblem,
  'invalid-request': InvalidRequestProblem,
  'client-forbidden': ClientForbiddenProblem,
  'unsupported-authentication': UnsupportedAuthenticationProblem,
  'resource-not-found': ResourceNotFoundProblem,
  'not-authorized-for-resource': ResourceUnauthorizedProblem,
  'not-authorized-for-field': FieldUnauthorizedProblem,
  'client-disconnected': ClientDisconnectedProblem,
};

function problemsIn(document: unknown): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  const doc = document as Record<string, unknown>;
  if (typeof doc.type === 'string') found.push(doc);
  if (Array.isArray(doc.errors)) {
    for (const error of doc.errors) {
      if (typeof (error as Record<string, unknown>)?.type === 'string') found.push(error);
    }
  }
  return found;
}

test('every recorded problem with a known type parses with its specific schema', () => {
  const byName: Record<string, number> = {};
  for (const folder of ['errors', 'objects', 'stream']) {
    for (const file of fixtureFiles(folder).filter((f) => !f.endsWith('.txt'))) {
      for (const document of fixtureDocuments(file)) {
        for (const problem of problemsIn(document)) {
          const name = problemName(problem.type) ?? String(problem.type);
          const schema = SPECIFIC[name] ?? Problem;
          const result = schema.safeParse(problem);
          expect(result.success, `${file}: ${name} ${JSON.stringify(result.error?.issues)}`).toBe(
            true,
          );
          byName[name] = (byName[name] ?? 0) + 1;
        }
      }
    }
  }
  expect(byName).toEqual({
    'about:blank': 2,
    'client-forbidden': 2,
    'invalid-request': 1,
    'not-authorized-for-resource': 337,
    'operational-disconnect': 2,
    'resource-not-found': 20,
    'streaming-connection': 3,
    'unsupported-authentication': 2,
    'usage-capped': 1,
  });
});

describe('problem schemas', () => {
  test('Problem keeps type-specific fields and needs type and title', () => {
    const parsed = Problem.parse({
      type: 'about:blank',
      title: 'Unauthorized',
      status: 401,
      extra: [1],
    });
    expect(parsed.extra).toEqual([1]);
    expect(Problem.safeParse({ title: 'x' }).success).toBe(false);
    expect(Problem.safeParse({ type: 'about:blank' }).success).toBe(false);
  });

  test('specific schemas match by the /2/problems/<name> suffix, whatever the host', () => {
    const disconnect = {
      title: 'operational-disconnect',
      disconnect_type: 'UpstreamOperationalDisconnect',
      type: 'https://api.x.com/2/problems/operational-disconnect',
    };
    expect(OperationalDisconnectProblem.safeParse(disconnect).success).toBe(true);
    expect(
      OperationalDisconnectProblem.safeParse({
        ...disconnect,
        type: 'https://api.twitter.com/2/problems/streaming-connection',
      }).success,
    ).toBe(false);
  });

  test('disconnect_type and connection_issue accept values X adds later', () => {
    expect(
      OperationalDisconnectProblem.parse({
        title: 'operational-disconnect',
        disconnect_type: 'SomethingNew',
        type: 'https://api.twitter.com/2/problems/operational-disconnect',
      }).disconnect_type,
    ).toBe('SomethingNew');
    expect(
      ConnectionExceptionProblem.safeParse({
        title: 'ConnectionException',
        connection_issue: 'NewIssue',
        type: 'https://api.twitter.com/2/problems/streaming-connection',
      }).success,
    ).toBe(true);
    expect(
      ConnectionExceptionProblem.safeParse({
        title: 'ConnectionException',
        type: 'https://api.twitter.com/2/problems/streaming-connection',
      }).success,
    ).toBe(false);
  });
});
