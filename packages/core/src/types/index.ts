export type {
  ActivityMessage,
  LikeComplianceMessage,
  TweetComplianceMessage,
  TweetLabelMessage,
  UserComplianceMessage,
} from './event-messages.js';
export type * from './guaranteed-fields.js';
export type {
  GuaranteedLikeField,
  LikeFor,
  LikeIncludesFor,
  LikeStreamResponseFor,
} from './likes-for.js';
export type {
  IncludedTweetFor,
  IncludesFor,
  MediaFor,
  PlaceFor,
  PollFor,
  TweetFor,
  UserFor,
} from './objects-for.js';
export type { FilteredStreamResponseFor, SampleStreamResponseFor } from './responses-for.js';
export type { StreamResponseFor, WithData } from './stream-response-for.js';
