import { z } from 'zod';

/**
 * An object as X sends it: the listed fields are checked; fields X adds later
 * (or that birdstream does not model) are kept at runtime, not stripped, so
 * `validate: 'strict'` never loses data that `validate: 'off'` would deliver.
 * The TypeScript type lists the known fields only (an object with more
 * properties than its type is ordinary structural typing), so typos in field
 * names stay type errors.
 */
export function wireObject<const Shape extends z.core.$ZodLooseShape>(
  shape: Shape,
): ReturnType<typeof z.object<Shape>> {
  return z.looseObject(shape) as unknown as ReturnType<typeof z.object<Shape>>;
}

/**
 * A string enum that X may extend: the known values give autocompletion and
 * narrowing, and any other string is accepted (a new value must not make a
 * post invalid).
 */
export type OpenEnum<Known extends string> = Known | (string & {});

/** Schema of an {@link OpenEnum}: validates a string, types it as the known values or any string. */
export function openEnum<const Known extends readonly string[]>(
  known: Known,
): z.ZodType<OpenEnum<Known[number]>, string> {
  return z
    .string()
    .describe(`One of ${known.join(', ')}, or a value X added since.`) as unknown as z.ZodType<
    OpenEnum<Known[number]>,
    string
  >;
}

/** X's numeric ids (posts, users, polls, rules, …): a string of 1 to 19 digits. */
export const IdString = z
  .string()
  .regex(/^[0-9]{1,19}$/, 'Expected an id: a string of 1 to 19 digits.');

/** An optional id (see {@link IdString}). */
export const OptionalId = IdString.optional();

/** A count or index. JSON numbers only (X never sends these as strings). */
export const Count = z.number();
