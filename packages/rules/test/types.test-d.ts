import { describe, expectTypeOf, test } from 'vitest';
import type {
  AddRuleOutcome,
  AddRulesResult,
  DeleteRulesResult,
  Rule,
  RuleError,
  RuleProblem,
  RulesClient,
  RulesPage,
  RuleValidation,
  SyncResult,
} from '../src/index.js';
import { validateRule } from '../src/index.js';

describe('public types', () => {
  test('client methods', () => {
    expectTypeOf<RulesClient['list']>().returns.resolves.toEqualTypeOf<Rule[]>();
    expectTypeOf<RulesClient['pages']>().returns.toEqualTypeOf<AsyncIterable<RulesPage>>();
    expectTypeOf<RulesClient['add']>().returns.resolves.toEqualTypeOf<AddRulesResult>();
    expectTypeOf<RulesClient['delete']>().returns.resolves.toEqualTypeOf<DeleteRulesResult>();
    expectTypeOf<RulesClient['sync']>().returns.resolves.toEqualTypeOf<SyncResult>();
    expectTypeOf<RulesClient['delete']>()
      .parameter(0)
      .toEqualTypeOf<{ ids: readonly string[] } | { values: readonly string[] }>();
  });

  test('a rule has string id and value, and an optional tag', () => {
    expectTypeOf<Rule>().toMatchObjectType<{ id: string; value: string }>();
    expectTypeOf<Rule['tag']>().toEqualTypeOf<string | undefined>();
  });

  test('outcomes narrow by status, errors by kind', () => {
    const outcome = {} as AddRuleOutcome;
    if (outcome.status === 'duplicate') expectTypeOf(outcome.existingId).toBeString();
    if (outcome.status === 'invalid') expectTypeOf(outcome.details).toEqualTypeOf<string[]>();
    if (outcome.status === 'created') expectTypeOf(outcome.rule).toEqualTypeOf<Rule>();
    const error = {} as RuleError;
    if (error.kind === 'duplicate') expectTypeOf(error.existingId).toBeString();
    if (error.kind === 'invalid') expectTypeOf(error.details).toEqualTypeOf<string[]>();
  });

  test('validateRule returns problems with code, message, position', () => {
    expectTypeOf(validateRule).returns.toEqualTypeOf<RuleValidation>();
    expectTypeOf<RuleProblem>().toExtend<{ code: string; message: string; position: number }>();
    expectTypeOf<RuleProblem['length']>().toEqualTypeOf<number | undefined>();
  });
});
