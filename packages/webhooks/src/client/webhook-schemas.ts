import { IdString, Problem } from '@birdstream/core';
import { z } from 'zod';

/** A registered webhook as X returns it (`WebhookConfig`, OpenAPI 2.159). */
export const WebhookConfig = z.looseObject({
  id: IdString,
  url: z.string(),
  /** False once a CRC failed: X delivers nothing until `validate()` passes. */
  valid: z.boolean(),
  created_at: z.string(),
});
export type WebhookConfig = z.infer<typeof WebhookConfig>;

/** One link of the filtered stream to a webhook (`GET /2/tweets/search/webhooks`). */
export const WebhookLinkSchema = z.looseObject({
  webhook_id: z.string().optional(),
  /** The fields it was linked with, as query parameters: `tweet.fields=created_at`, `expansions=author_id`. */
  fields: z.array(z.string()).optional(),
  created_at: z.string().optional(),
  instance_id: z.string().optional(),
  application_id: z.string().optional(),
  business_user_id: z.string().optional(),
});

const Errors = z.array(Problem).optional();

/**
 * `POST /2/webhooks`: the OpenAPI document has the webhook at the top level,
 * X's answers wrap it in `data` as everywhere else; both are read.
 */
export const CreateWebhookResponse = z
  .union([z.looseObject({ data: WebhookConfig, errors: Errors }), WebhookConfig])
  .transform((body) => ('data' in body ? body.data : body) as WebhookConfig);

/** `GET /2/webhooks`. */
export const ListWebhooksResponse = z.looseObject({
  data: z.array(WebhookConfig).optional(),
  errors: Errors,
  meta: z.looseObject({ result_count: z.number().optional() }).optional(),
});

/** `PUT /2/webhooks/{id}`: whether X ran the CRC (the webhook's `valid` says whether it passed). */
export const ValidateWebhookResponse = z.looseObject({
  data: z.looseObject({ attempted: z.boolean() }).optional(),
  errors: Errors,
});

/** `DELETE /2/webhooks/{id}` and `DELETE /2/tweets/search/webhooks/{id}`. */
export const DeletedResponse = z.looseObject({
  data: z.looseObject({ deleted: z.boolean() }).optional(),
  errors: Errors,
});

/** `POST /2/tweets/search/webhooks/{id}`. */
export const LinkCreateResponse = z.looseObject({
  data: z.looseObject({ provisioned: z.boolean() }).optional(),
  errors: Errors,
});

/** `GET /2/tweets/search/webhooks`. */
export const LinksListResponse = z.looseObject({
  data: z.looseObject({ links: z.array(WebhookLinkSchema) }).optional(),
  errors: Errors,
});

const ReplayJobFields = z.looseObject({ job_id: z.string(), created_at: z.string() });

/** `POST /2/webhooks/replay`: flat in the OpenAPI document, in `data` in X's answers; both are read. */
export const ReplayJobResponse = z
  .union([z.looseObject({ data: ReplayJobFields, errors: Errors }), ReplayJobFields])
  .transform((body) => ('data' in body ? body.data : body) as z.infer<typeof ReplayJobFields>);
