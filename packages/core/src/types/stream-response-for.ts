import type { z } from 'zod';
import type {
  StreamEndpointInfo,
  StreamEndpointName,
  StreamRow,
} from '../endpoints/endpoint-table.js';
import type { FieldParams } from '../params/stream-params.js';
import type { LikeStreamResponseFor } from './likes-for.js';
import type { Simplify } from './requested.js';
import type { FilteredStreamResponseFor, SampleStreamResponseFor } from './responses-for.js';

/** A message as a stream's `for await` loop yields it: `data` is always there (error-only messages become events). */
export type WithData<Message extends { data?: unknown }> = Simplify<
  Omit<Message, 'data'> & { data: NonNullable<Message['data']> }
>;

/**
 * The families whose messages are typed by the request (their `data` and
 * `includes` narrowed by the requested fields and expansions), by family.
 * Every other family yields its row's schema type as it is.
 */
type RequestTypedMessages<Row extends StreamEndpointInfo, Params> = {
  posts: Row['selection'] extends 'rules'
    ? FilteredStreamResponseFor<Params extends FieldParams ? Params : {}>
    : SampleStreamResponseFor<Params extends FieldParams ? Params : {}>;
  likes: LikeStreamResponseFor<Params>;
};

/** A message of a row's schema, with `data`. */
type SchemaMessage<Row extends StreamEndpointInfo> =
  z.output<Row['schema']> extends infer Message extends { data?: unknown }
    ? WithData<Message>
    : never;

/** What the row `Row` yields for the parameters `Params`. */
export type RowResponse<
  Row extends StreamEndpointInfo,
  Params = {},
> = Row['family'] extends keyof RequestTypedMessages<Row, Params>
  ? RequestTypedMessages<Row, Params>[Row['family']]
  : SchemaMessage<Row>;

/**
 * What the stream named `N` yields for the parameters `Params`, derived from
 * its row of the endpoint table: post and likes messages narrowed by the
 * requested fields and expansions (a post stream selected by rules carries
 * `matching_rules`), every other stream's messages as its schema types them
 * (compliance, labels, Activity, and any family added since).
 *
 * @example
 * ```ts
 * type Post = StreamResponseFor<'firehose-en', { 'tweet.fields': ['lang'] }>['data']; // lang: string
 * type Unlike = StreamResponseFor<'likes-compliance'>['data']['delete'];
 * ```
 */
export type StreamResponseFor<
  N extends StreamEndpointName,
  Params = {},
> = N extends StreamEndpointName ? RowResponse<StreamRow<N>, Params> : never;
