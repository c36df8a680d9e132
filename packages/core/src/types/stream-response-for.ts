import type { StreamEndpointName } from '../endpoints/endpoint-table.js';
import type { FieldParams, FilteredStreamParams } from '../params/stream-params.js';
import type {
  ActivityMessage,
  LikeComplianceMessage,
  TweetComplianceMessage,
  TweetLabelMessage,
  UserComplianceMessage,
} from './event-messages.js';
import type { LikeStreamResponseFor } from './likes-for.js';
import type { FilteredStreamResponseFor, SampleStreamResponseFor } from './responses-for.js';

/** The post streams without rules: sample, sample10 and the firehoses. */
type UnfilteredPostStream =
  | 'sample'
  | 'sample10'
  | 'firehose'
  | 'firehose-en'
  | 'firehose-ja'
  | 'firehose-ko'
  | 'firehose-pt';

/**
 * What the stream named `N` yields for the parameters `Params`: post and
 * likes messages narrowed by the requested fields and expansions, event
 * messages (compliance, labels, Activity) as they are.
 */
export type StreamResponseFor<N extends StreamEndpointName, Params = {}> = N extends 'filter'
  ? FilteredStreamResponseFor<Params extends FilteredStreamParams ? Params : {}>
  : N extends UnfilteredPostStream
    ? SampleStreamResponseFor<Params extends FieldParams ? Params : {}>
    : N extends 'likes-firehose' | 'likes-sample10'
      ? LikeStreamResponseFor<Params>
      : N extends 'tweets-compliance'
        ? TweetComplianceMessage
        : N extends 'users-compliance'
          ? UserComplianceMessage
          : N extends 'likes-compliance'
            ? LikeComplianceMessage
            : N extends 'labels'
              ? TweetLabelMessage
              : N extends 'activity'
                ? ActivityMessage
                : never;
