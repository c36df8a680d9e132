import { z } from 'zod';
import { Count, Rule } from './rule.js';

/** `meta.summary` of an add (spec §3.2). */
export const AddSummary = z.object({
  created: Count,
  not_created: Count,
  valid: Count,
  invalid: Count,
});
export type AddSummary = z.infer<typeof AddSummary>;

/** `meta.summary` of a delete (spec §3.2). */
export const DeleteSummary = z.object({
  deleted: Count,
  not_deleted: Count,
});
export type DeleteSummary = z.infer<typeof DeleteSummary>;

/**
 * The body of an add: `data` lists only the created rules, in no particular
 * order; `errors` holds one problem per refused rule (spec §3.2–3.4).
 */
export const AddRulesResponse = z.object({
  data: z.array(Rule).optional(),
  meta: z.object({ sent: z.string().optional(), summary: AddSummary }),
  errors: z.array(z.unknown()).optional(),
});
export type AddRulesResponse = z.infer<typeof AddRulesResponse>;

/** The body of a delete (by ids, by values, or `delete_all`). */
export const DeleteRulesResponse = z.object({
  meta: z.object({ sent: z.string().optional(), summary: DeleteSummary }),
  errors: z.array(z.unknown()).optional(),
});
export type DeleteRulesResponse = z.infer<typeof DeleteRulesResponse>;

/** The body of `GET /2/tweets/search/stream/rules` (one page). */
export const RulesLookupResponse = z.object({
  data: z.array(Rule).optional(),
  meta: z.object({
    sent: z.string().optional(),
    result_count: Count.optional(),
    next_token: z.string().optional(),
  }),
  errors: z.array(z.unknown()).optional(),
});
export type RulesLookupResponse = z.infer<typeof RulesLookupResponse>;

const AppRulesCount = z.object({
  client_app_id: z.union([z.string(), z.number()]).transform((id) => String(id)),
  rule_count: Count,
});

/** Rule counts and caps of the app and its project (`RulesCount`, spec §3.2). */
export const RulesCount = z.object({
  all_project_client_apps: z.array(AppRulesCount).optional(),
  cap_per_client_app: Count.optional(),
  cap_per_project: Count.optional(),
  client_app_rules_count: AppRulesCount.optional(),
  project_rules_count: Count.optional(),
});
export type RulesCount = z.infer<typeof RulesCount>;

/** The body of `GET /2/tweets/search/stream/rules/counts`. */
export const RulesCountResponse = z.object({
  data: RulesCount.optional(),
  errors: z.array(z.unknown()).optional(),
});
export type RulesCountResponse = z.infer<typeof RulesCountResponse>;
