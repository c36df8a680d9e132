import { z } from 'zod';

/**
 * A rule id: 1 to 19 digits, sent as a string. A number is accepted and turned
 * into a string (older payloads sent numeric ids; the lossless JSON reader
 * keeps long ones exact).
 */
export const RuleId = z
  .union([z.string(), z.number().int().nonnegative()])
  .transform((id) => String(id))
  .pipe(z.string().regex(/^[0-9]{1,19}$/, 'a rule id is a string of 1 to 19 digits'));
export type RuleId = z.infer<typeof RuleId>;

/** A count that OAS-2.167 types as a string and OAS-2.159 as an integer (spec §9): both accepted. */
export const Count = z.union([
  z.number().int().nonnegative(),
  z
    .string()
    .regex(/^[0-9]+$/)
    .transform((n) => Number(n)),
]);
export type Count = z.infer<typeof Count>;

/**
 * A filtered stream rule as X returns it (spec §3.2). `tag` is absent when no
 * tag was set; a `null` tag (seen in older payloads) becomes absent too.
 */
export const Rule = z.object({
  id: RuleId,
  value: z.string(),
  tag: z
    .string()
    .nullish()
    .transform((tag) => tag ?? undefined)
    .optional(),
});
export type Rule = z.infer<typeof Rule>;
