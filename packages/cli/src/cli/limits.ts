import { RULE_TIERS, type RuleTier } from '@birdstream/rules';
import type { OfflineLimits } from '../rules-file/validation-report.js';
import type { OptionSpec, ParsedValues } from './args.js';
import { stringOption } from './args.js';
import { UsageError } from './usage-error.js';
import { parseInteger } from './values.js';

/** The flags that set offline validation limits (`rules validate`, `rules sync`). */
export const LIMIT_OPTIONS: Record<string, OptionSpec> = {
  tier: {
    type: 'string',
    value: '<tier>',
    description: `your X access level, for rule length and count limits: ${Object.keys(RULE_TIERS).join(', ')} (default pay-per-use: 1,024 characters, 1,000 rules)`,
  },
  'max-length': {
    type: 'string',
    value: '<N>',
    description: 'longest rule allowed, in characters (overrides --tier)',
  },
  'max-rules': {
    type: 'string',
    value: '<N>',
    description: 'most rules allowed (overrides --tier)',
  },
};

/** Reads `--tier`, `--max-length` and `--max-rules`. */
export function readLimits(values: ParsedValues, command: string): OfflineLimits {
  const limits: OfflineLimits = {};
  const tier = stringOption(values, 'tier');
  if (tier !== undefined) {
    if (!Object.hasOwn(RULE_TIERS, tier)) {
      throw new UsageError(
        `--tier must be one of ${Object.keys(RULE_TIERS).join(', ')}, got '${tier}'.`,
        command,
      );
    }
    limits.tier = tier as RuleTier;
  }
  const maxLength = stringOption(values, 'max-length');
  if (maxLength !== undefined)
    limits.maxLength = parseInteger(maxLength, '--max-length', command, 1);
  const maxRules = stringOption(values, 'max-rules');
  if (maxRules !== undefined) limits.maxRules = parseInteger(maxRules, '--max-rules', command, 1);
  return limits;
}
