import { ConfigError } from '@birdstream/core';

/**
 * X access levels with different rule limits. Limits change often; these are
 * the documented values (spec §3.5). Pass your own `maxLength` / `maxRules`
 * when your plan differs.
 *
 * - `pay-per-use`: current self-serve plan, 1,000 rules of 1,024 characters.
 * - `pro`: Dec 2024 Pro plan, 1,000 rules of 1,024 characters.
 * - `academic`: former Academic Research, 1,000 rules of 1,024 characters.
 * - `elevated`: former Elevated / Standard Basic (2020–2022), 25 rules of 512 characters.
 * - `enterprise`: 25,000 rules of 2,048 characters; the only tier with `embedding:`.
 */
export type RuleTier = 'pay-per-use' | 'pro' | 'academic' | 'elevated' | 'enterprise';

/** The limits of one {@link RuleTier}. */
export interface RuleTierLimits {
  /** Longest rule value, in characters. */
  maxLength: number;
  /** Most rules the app may hold. */
  maxRules: number;
}

/** Documented limits per tier (spec §3.5). */
export const RULE_TIERS: Readonly<Record<RuleTier, Readonly<RuleTierLimits>>> = {
  'pay-per-use': { maxLength: 1024, maxRules: 1000 },
  pro: { maxLength: 1024, maxRules: 1000 },
  academic: { maxLength: 1024, maxRules: 1000 },
  elevated: { maxLength: 512, maxRules: 25 },
  enterprise: { maxLength: 2048, maxRules: 25_000 },
};

/** The limits used when neither a tier nor explicit limits are given (pay-per-use). */
export const DEFAULT_RULE_LIMITS: Readonly<RuleTierLimits> = RULE_TIERS['pay-per-use'];

/** Resolves explicit limits, then the tier's, then the defaults. */
export function resolveLimits(options: {
  tier?: RuleTier | undefined;
  maxLength?: number | undefined;
  maxRules?: number | undefined;
}): RuleTierLimits {
  const base = options.tier ? RULE_TIERS[options.tier] : DEFAULT_RULE_LIMITS;
  if (!base) {
    throw new ConfigError(
      `Unknown rule tier "${String(options.tier)}"; use one of ${Object.keys(RULE_TIERS).join(', ')}.`,
    );
  }
  return {
    maxLength: positiveInteger('maxLength', options.maxLength) ?? base.maxLength,
    maxRules: positiveInteger('maxRules', options.maxRules) ?? base.maxRules,
  };
}

function positiveInteger(name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1) {
    throw new ConfigError(`${name} must be a positive whole number, got ${String(value)}.`);
  }
  return value;
}
