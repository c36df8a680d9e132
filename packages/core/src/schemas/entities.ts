import { z } from 'zod';
import { Count, IdString, wireObject } from './primitives.js';

/** Zero-based `start` (inclusive) and `end` (exclusive) of an entity in the text. */
const indices = { start: Count, end: Count };

/** A `#hashtag` in the text. */
export const HashtagEntity = wireObject({ ...indices, tag: z.string() });
export type HashtagEntity = z.infer<typeof HashtagEntity>;

/** A `$cashtag` in the text. */
export const CashtagEntity = wireObject({ ...indices, tag: z.string() });
export type CashtagEntity = z.infer<typeof CashtagEntity>;

/** An `@mention` in the text; `id` is the mentioned user's id. */
export const MentionEntity = wireObject({
  ...indices,
  username: z.string(),
  id: IdString.optional(),
});
export type MentionEntity = z.infer<typeof MentionEntity>;

/** A preview image of a linked page. */
export const UrlImage = wireObject({
  url: z.string().optional(),
  width: Count.optional(),
  height: Count.optional(),
});
export type UrlImage = z.infer<typeof UrlImage>;

/** A link in the text (`url` is the t.co address), with what X knows of its target. */
export const UrlEntity = wireObject({
  ...indices,
  url: z.string(),
  expanded_url: z.string().optional(),
  display_url: z.string().optional(),
  unwound_url: z.string().optional(),
  /** HTTP status of the target when X fetched it. */
  status: Count.optional(),
  title: z.string().optional(),
  description: z.string().optional(),
  images: z.array(UrlImage).optional(),
  /** Set when the link points at an attached media item. */
  media_key: z.string().optional(),
});
export type UrlEntity = z.infer<typeof UrlEntity>;

/** A named entity X recognised in the text (`end` is inclusive here). */
export const AnnotationEntity = wireObject({
  ...indices,
  probability: Count,
  type: z.string(),
  normalized_text: z.string(),
});
export type AnnotationEntity = z.infer<typeof AnnotationEntity>;

/** Entities of a post's text (or a user's description). */
export const TweetEntities = wireObject({
  annotations: z.array(AnnotationEntity).optional(),
  cashtags: z.array(CashtagEntity).optional(),
  hashtags: z.array(HashtagEntity).optional(),
  mentions: z.array(MentionEntity).optional(),
  urls: z.array(UrlEntity).optional(),
});
export type TweetEntities = z.infer<typeof TweetEntities>;
