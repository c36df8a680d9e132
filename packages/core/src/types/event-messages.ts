import type { ActivityStreamResponse } from '../schemas/activity.js';
import type {
  LikeComplianceStreamResponse,
  TweetComplianceStreamResponse,
  UserComplianceStreamResponse,
} from '../schemas/compliance.js';
import type { TweetLabelStreamResponse } from '../schemas/labels.js';
import type { Simplify } from './requested.js';

/** A message as a stream's `for await` loop yields it: `data` is always there (error-only messages become events). */
export type WithData<Message extends { data?: unknown }> = Simplify<
  Omit<Message, 'data'> & { data: NonNullable<Message['data']> }
>;

/** What `client.tweetsCompliance()` yields: one compliance event (tell its kind with `complianceEvent`). */
export type TweetComplianceMessage = WithData<TweetComplianceStreamResponse>;
/** What `client.usersCompliance()` yields. */
export type UserComplianceMessage = WithData<UserComplianceStreamResponse>;
/** What `client.likesCompliance()` yields: an unlike. */
export type LikeComplianceMessage = WithData<LikeComplianceStreamResponse>;
/** What `client.labels()` yields: a public notice or an unviewable post. */
export type TweetLabelMessage = WithData<TweetLabelStreamResponse>;
/** What `client.activity()` yields: one Activity event. */
export type ActivityMessage = WithData<ActivityStreamResponse>;
