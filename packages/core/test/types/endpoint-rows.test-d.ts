/**
 * The parameter and response types of every row of the endpoint table, read
 * from the row itself: a row added to the table is checked here with no edit
 * (each check maps over `StreamEndpointName`), and a row whose types come out
 * `never`, `any` or off its own facts fails with the row's name in the
 * message.
 */
import type {
  BackfillMinutes,
  FilteredStreamResponseFor,
  LikeStreamResponseFor,
  PartitionRange,
  SampleStreamResponseFor,
  StreamEndpointName,
  StreamParamsFor,
  StreamResponseFor,
  StreamRow,
} from '@birdstream/core';
import { describe, expectTypeOf, test } from 'vitest';
import type { z } from 'zod';

type IsNever<T> = [T] extends [never] ? true : false;
type IsAny<T> = 0 extends 1 & T ? true : false;
/** True when `A` and `B` are the same type (not merely assignable). */
type Same<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Every<Value> = { [N in StreamEndpointName]: Value };

/** What each row's facts say its parameters are. */
type ExpectedParams<N extends StreamEndpointName> = {
  fields: keyof StreamRow<N>['fields'];
  backfill: StreamRow<N>['backfill'];
  recovery: StreamRow<N>['recovery'];
  partition: StreamRow<N> extends { partitions: { max: infer Max extends number } }
    ? PartitionRange<Max>
    : undefined;
};

/** What each row's parameter type says. */
type ActualParams<N extends StreamEndpointName> = {
  fields: Exclude<
    keyof StreamParamsFor<N>,
    'partition' | 'backfill_minutes' | 'start_time' | 'end_time'
  >;
  backfill: 'backfill_minutes' extends keyof StreamParamsFor<N> ? true : false;
  recovery: 'start_time' | 'end_time' extends keyof StreamParamsFor<N> ? true : false;
  partition: StreamParamsFor<N> extends { partition: infer P } ? P : undefined;
};

/** The message each row's family and selection call for. */
type ExpectedResponse<N extends StreamEndpointName> = StreamRow<N>['family'] extends 'posts'
  ? StreamRow<N>['selection'] extends 'rules'
    ? FilteredStreamResponseFor<{}>
    : SampleStreamResponseFor<{}>
  : StreamRow<N>['family'] extends 'likes'
    ? LikeStreamResponseFor<{}>
    : // Every other family: its schema's message, with `data`.
      Omit<z.output<StreamRow<N>['schema']>, 'data'> & {
        data: NonNullable<z.output<StreamRow<N>['schema']>['data']>;
      };

describe('every row of the endpoint table has its own parameter and response types', () => {
  test('no row’s parameters or response are never or any', () => {
    expectTypeOf<{ [N in StreamEndpointName]: IsNever<StreamParamsFor<N>> }>().toEqualTypeOf<
      Every<false>
    >();
    expectTypeOf<{ [N in StreamEndpointName]: IsAny<StreamParamsFor<N>> }>().toEqualTypeOf<
      Every<false>
    >();
    expectTypeOf<{ [N in StreamEndpointName]: IsNever<StreamResponseFor<N>> }>().toEqualTypeOf<
      Every<false>
    >();
    expectTypeOf<{
      [N in StreamEndpointName]: IsNever<StreamResponseFor<N>['data']>;
    }>().toEqualTypeOf<Every<false>>();
    expectTypeOf<{
      [N in StreamEndpointName]: IsAny<StreamResponseFor<N>['data']>;
    }>().toEqualTypeOf<Every<false>>();
  });

  test('each row’s parameters are its field lists, backfill, recovery window and partition range', () => {
    expectTypeOf<{
      [N in StreamEndpointName]: Same<ActualParams<N>, ExpectedParams<N>>;
    }>().toEqualTypeOf<Every<true>>();
    expectTypeOf<StreamParamsFor<'sample'>['backfill_minutes']>().toEqualTypeOf<
      BackfillMinutes | undefined
    >();
  });

  test('each row’s list parameters take exactly the values its row lists', () => {
    type Values<N extends StreamEndpointName> = {
      [K in keyof StreamRow<N>['fields']]: Same<
        NonNullable<StreamParamsFor<N>[K & keyof StreamParamsFor<N>]>,
        readonly (StreamRow<N>['fields'][K] extends readonly (infer V)[] ? V : never)[]
      >;
    };
    type AllTrue<T> = T[keyof T] extends true ? true : false;
    expectTypeOf<{ [N in StreamEndpointName]: AllTrue<Values<N>> }>().toEqualTypeOf<Every<true>>();
  });

  test('each row yields the message of its family and selection', () => {
    expectTypeOf<{
      [N in StreamEndpointName]: Same<StreamResponseFor<N>, ExpectedResponse<N>> extends true
        ? true
        : // Same up to flattening: each is assignable to the other.
          [StreamResponseFor<N>, ExpectedResponse<N>] extends [
              ExpectedResponse<N>,
              StreamResponseFor<N>,
            ]
          ? true
          : false;
    }>().toEqualTypeOf<Every<true>>();
  });

  test('facts that read from the rows', () => {
    expectTypeOf<StreamParamsFor<'firehose-en'>['partition']>().toEqualTypeOf<PartitionRange<8>>();
    expectTypeOf<StreamParamsFor<'tweets-compliance'>['partition']>().toEqualTypeOf<
      1 | 2 | 3 | 4
    >();
    expectTypeOf<StreamResponseFor<'filter'>['matching_rules']>().not.toBeNever();
    expectTypeOf<StreamResponseFor<'sample'>>().not.toHaveProperty('matching_rules');
    expectTypeOf<StreamParamsFor<'sample'>>().not.toHaveProperty('start_time');
    expectTypeOf<StreamParamsFor<'labels'>>().not.toHaveProperty('expansions');
  });
});
