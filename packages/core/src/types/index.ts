export type * from './guaranteed-fields.js';
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
