import { z } from 'zod';
import { wireObject } from './primitives.js';

/** A topic (`includes.topics`). */
export const Topic = wireObject({
  id: z.string(),
  name: z.string(),
  description: z.string().optional(),
});
export type Topic = z.infer<typeof Topic>;
