import { z } from 'zod';
import { RuleId } from './rule.js';

const problem = {
  type: z.string(),
  title: z.string(),
  detail: z.string().optional(),
  status: z.number().optional(),
};

/**
 * `…/2/problems/duplicate-rules`: a rule with this value already exists;
 * `id` is the id of the EXISTING rule (spec §3.4).
 */
export const DuplicateRule = z.object({
  ...problem,
  value: z.string(),
  id: RuleId,
});
export type DuplicateRule = z.infer<typeof DuplicateRule>;

/**
 * `…/2/problems/invalid-rules` (title `UnprocessableEntity`): X refused the
 * rule; `details` lists every reason, each ending with `(at position N)`.
 * Note the plural `details` array: there is no `detail`.
 */
export const UnprocessableEntity = z.object({
  ...problem,
  value: z.string(),
  details: z.array(z.string()).default([]),
});
export type UnprocessableEntity = z.infer<typeof UnprocessableEntity>;

/** `…/2/problems/rule-cap`: the app or project holds as many rules as it may (`RulesCapProblem`). */
export const RuleCap = z.object({ ...problem });
export type RuleCap = z.infer<typeof RuleCap>;

/** `…/2/problems/noncompliant-rules`: rules X will not accept (`NonCompliantRulesProblem`). */
export const NoncompliantRules = z.object({
  ...problem,
  value: z.string().optional(),
  details: z.array(z.string()).optional(),
});
export type NoncompliantRules = z.infer<typeof NoncompliantRules>;
