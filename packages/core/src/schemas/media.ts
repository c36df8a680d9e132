import { z } from 'zod';
import { Count, openEnum, wireObject } from './primitives.js';

/** One encoding of a video or GIF. */
export const MediaVariant = wireObject({
  bit_rate: Count.optional(),
  content_type: z.string(),
  url: z.string(),
});
export type MediaVariant = z.infer<typeof MediaVariant>;

/** Public counts of a video. */
export const MediaPublicMetrics = wireObject({ view_count: Count.optional() });
export type MediaPublicMetrics = z.infer<typeof MediaPublicMetrics>;

/** Private playback counts of a video (user context only). */
export const MediaPlaybackMetrics = wireObject({
  playback_0_count: Count.optional(),
  playback_25_count: Count.optional(),
  playback_50_count: Count.optional(),
  playback_75_count: Count.optional(),
  playback_100_count: Count.optional(),
  view_count: Count.optional(),
});
export type MediaPlaybackMetrics = z.infer<typeof MediaPlaybackMetrics>;

/**
 * A photo, video or animated GIF (`includes.media`), joined to posts by
 * `media_key`. Photos have `url`; videos and GIFs have `preview_image_url`
 * and `variants`; videos have `duration_ms` and `public_metrics`.
 */
export const Media = wireObject({
  media_key: z.string(),
  type: openEnum(['photo', 'video', 'animated_gif']),
  width: Count.optional(),
  height: Count.optional(),
  url: z.string().optional(),
  alt_text: z.string().optional(),
  duration_ms: Count.optional(),
  preview_image_url: z.string().optional(),
  variants: z.array(MediaVariant).optional(),
  public_metrics: MediaPublicMetrics.optional(),
  non_public_metrics: MediaPlaybackMetrics.optional(),
  organic_metrics: MediaPlaybackMetrics.optional(),
  promoted_metrics: MediaPlaybackMetrics.optional(),
});
export type Media = z.infer<typeof Media>;
