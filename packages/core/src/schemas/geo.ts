import { z } from 'zod';
import { wireObject } from './primitives.js';

/** A GeoJSON point: `coordinates` is `[longitude, latitude]`. */
export const GeoPoint = wireObject({
  type: z.string(),
  coordinates: z.tuple([z.number(), z.number()], z.number()),
});
export type GeoPoint = z.infer<typeof GeoPoint>;
