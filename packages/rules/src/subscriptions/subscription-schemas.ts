import { ActivitySubscriptionFilter, IdString, Problem } from '@birdstream/core';
import { z } from 'zod';

/** An Activity subscription as X returns it (`ActivitySubscription`, OpenAPI 2.159). */
export const ActivitySubscription = z.looseObject({
  subscription_id: IdString,
  event_type: z.string(),
  filter: ActivitySubscriptionFilter,
  tag: z.string().optional(),
  webhook_id: IdString.optional(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type ActivitySubscription = z.infer<typeof ActivitySubscription>;

const Errors = z.array(Problem).optional();

/** `GET /2/activity/subscriptions`. */
export const SubscriptionsListResponse = z.looseObject({
  data: z.array(ActivitySubscription).optional(),
  errors: Errors,
  meta: z
    .looseObject({ next_token: z.string().optional(), result_count: z.number().optional() })
    .optional(),
});

/** `POST /2/activity/subscriptions`. */
export const SubscriptionCreateResponse = z.looseObject({
  data: z
    .looseObject({
      subscription: ActivitySubscription.optional(),
      total_subscriptions_for_instance_id: z.number().optional(),
    })
    .optional(),
  errors: Errors,
  meta: z.looseObject({ total_subscriptions: z.number().optional() }).optional(),
});

/** `PUT /2/activity/subscriptions/{id}`. */
export const SubscriptionUpdateResponse = z.looseObject({
  data: z
    .looseObject({
      subscription: ActivitySubscription.optional(),
      total_subscriptions: z.number().optional(),
    })
    .optional(),
  errors: Errors,
});

/** `DELETE /2/activity/subscriptions/{id}`. */
export const SubscriptionDeleteResponse = z.looseObject({
  data: z.looseObject({ deleted: z.boolean() }).optional(),
  errors: Errors,
  meta: z.looseObject({ total_subscriptions: z.number().optional() }).optional(),
});
