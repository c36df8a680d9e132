import type { StreamResponseFor } from './stream-response-for.js';

/** What `client.tweetsCompliance()` yields: one compliance event (tell its kind with `complianceEvent`). */
export type TweetComplianceMessage = StreamResponseFor<'tweets-compliance'>;
/** What `client.usersCompliance()` yields. */
export type UserComplianceMessage = StreamResponseFor<'users-compliance'>;
/** What `client.likesCompliance()` yields: an unlike. */
export type LikeComplianceMessage = StreamResponseFor<'likes-compliance'>;
/** What `client.labels()` yields: a public notice or an unviewable post. */
export type TweetLabelMessage = StreamResponseFor<'labels'>;
/** What `client.activity()` yields: one Activity event. */
export type ActivityMessage = StreamResponseFor<'activity'>;
