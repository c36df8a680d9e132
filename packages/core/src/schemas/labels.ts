import { z } from 'zod';
import { IdString, OptionalId, openEnum, wireObject } from './primitives.js';
import { Problem } from './problems.js';

/** The labelled post and its author. */
const LabelledPost = wireObject({ id: IdString, author_id: OptionalId });

/** Whether a label is being applied or removed. */
const Application = openEnum(['apply', 'remove']);

/** A public notice on a post (`TweetNotice`): its type (`misleading`, …), title and details. */
export const TweetNotice = wireObject({
  tweet: LabelledPost,
  event_type: z.string(),
  event_at: z.string(),
  application: Application,
  details: z.string().optional(),
  label_title: z.string().optional(),
  extended_details_url: z.string().optional(),
});
export type TweetNotice = z.infer<typeof TweetNotice>;

/** A post made unviewable, or viewable again (`TweetUnviewable`). */
export const TweetUnviewable = wireObject({
  tweet: LabelledPost,
  event_at: z.string(),
  application: Application,
});
export type TweetUnviewable = z.infer<typeof TweetUnviewable>;

/** `data` of the label stream: `{ public_tweet_notice }` or `{ public_tweet_unviewable }`. */
export const TweetLabelData = z.union([
  wireObject({ public_tweet_notice: TweetNotice }),
  wireObject({ public_tweet_unviewable: TweetUnviewable }),
]);
export type TweetLabelData = z.infer<typeof TweetLabelData>;

/** One message of `/2/tweets/label/stream`: a label event (`data`) or `errors`. */
export const TweetLabelStreamResponse = wireObject({
  data: TweetLabelData.optional(),
  errors: z.array(Problem).optional(),
});
export type TweetLabelStreamResponse = z.infer<typeof TweetLabelStreamResponse>;
