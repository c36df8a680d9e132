import type { z } from 'zod';

/**
 * The parts of a zod 4 schema's definition (`schema._zod.def`) that
 * birdstream's schema walkers read: the quick conformance check and the
 * tolerant reader interpret the schemas from it, so both follow zod's own
 * definition of each type.
 */
export type ZodDef = {
  type: string;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  innerType?: z.ZodType;
  element?: z.ZodType;
  items?: z.ZodType[];
  rest?: z.ZodType | null;
  options?: z.ZodType[];
  values?: unknown[];
  entries?: Record<string, unknown>;
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  /** Set on number formats such as `z.int()` (`safeint`). */
  format?: string;
  checks?: { _zod: { def: { check: string; format?: string; pattern?: RegExp } } }[];
};

/** A schema's definition. */
export function defOf(schema: z.ZodType): ZodDef {
  return (schema as unknown as { _zod: { def: ZodDef } })._zod.def;
}
