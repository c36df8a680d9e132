import { z } from 'zod';
import { GeoPoint } from './geo.js';
import { openEnum, wireObject } from './primitives.js';

/** A GeoJSON feature: the place's bounding box `[west, south, east, north]`. */
export const PlaceGeo = wireObject({
  type: z.string(),
  bbox: z.array(z.number()),
  properties: z.record(z.string(), z.unknown()).optional(),
  geometry: GeoPoint.nullish(),
});
export type PlaceGeo = z.infer<typeof PlaceGeo>;

/** A place tagged on a post (`includes.places`), joined by `geo.place_id`. */
export const Place = wireObject({
  /** Hexadecimal, e.g. `a0583a9994e6bf1b`. */
  id: z.string(),
  full_name: z.string(),
  name: z.string().optional(),
  country: z.string().optional(),
  /** Two-letter ISO 3166-1 code. */
  country_code: z.string().optional(),
  place_type: openEnum(['poi', 'neighborhood', 'city', 'admin', 'country', 'unknown']).optional(),
  contained_within: z.array(z.string()).optional(),
  geo: PlaceGeo.optional(),
});
export type Place = z.infer<typeof Place>;
