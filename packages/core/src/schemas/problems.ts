import { z } from 'zod';
import { problemName } from '../errors/problem.js';
import { openEnum } from './primitives.js';

/**
 * An RFC 7807 problem as X sends it, in error bodies and in a stream
 * message's `errors`: `type` (a URI whose `/2/problems/<name>` suffix names
 * the problem; `about:blank` for plain HTTP errors) and `title`, optional
 * `detail` and `status`, and any type-specific fields (kept as they are).
 */
export const Problem = z.looseObject({
  type: z.string(),
  title: z.string(),
  detail: z.string().optional(),
  status: z.number().optional(),
});
export type Problem = z.infer<typeof Problem>;

/**
 * A problem `type` whose `/2/problems/<name>` suffix is `name`, whatever the
 * host (`api.twitter.com` in recordings, `api.x.com` in the docs).
 */
function problemType(name: string) {
  return z
    .string()
    .refine(
      (type) => problemName(type) === name,
      `Expected a type URI ending in /2/problems/${name}.`,
    );
}

/** Values of `resource_type` in partial-error problems. */
const resourceType = openEnum(['user', 'tweet', 'media', 'list', 'space']);
/** Values of `section` in partial-error problems. */
const section = openEnum(['data', 'includes']);

/** Known `disconnect_type` values (OpenAPI 2.159). */
export const DISCONNECT_TYPES = [
  'OperationalDisconnect',
  'UpstreamOperationalDisconnect',
  'ForceDisconnect',
  'UpstreamUncleanDisconnect',
  'SlowReader',
  'InternalError',
  'ClientApplicationStateDegraded',
  'InvalidRules',
] as const;

/**
 * In-band: X is closing the stream for operational reasons. Reconnect at once
 * (the stream client does). `disconnect_type` may hold values added since.
 */
export const OperationalDisconnectProblem = Problem.extend({
  type: problemType('operational-disconnect'),
  disconnect_type: openEnum(DISCONNECT_TYPES),
});
export type OperationalDisconnectProblem = z.infer<typeof OperationalDisconnectProblem>;

/** Known `connection_issue` values (OpenAPI 2.159). */
export const CONNECTION_ISSUES = [
  'TooManyConnections',
  'ProvisioningSubscription',
  'RuleConfigurationIssue',
  'RulesInvalidIssue',
] as const;

/**
 * `streaming-connection` (title `ConnectionException`): the stream cannot be
 * opened: `TooManyConnections` (429) or `RuleConfigurationIssue` (409, no rules).
 */
export const ConnectionExceptionProblem = Problem.extend({
  type: problemType('streaming-connection'),
  connection_issue: openEnum(CONNECTION_ISSUES),
});
export type ConnectionExceptionProblem = z.infer<typeof ConnectionExceptionProblem>;

/** `usage-capped` (429, title `UsageCapExceeded`): the plan's post cap is reached. */
export const UsageCappedProblem = Problem.extend({
  type: problemType('usage-capped'),
  period: openEnum(['Daily', 'Monthly']).optional(),
  scope: openEnum(['Account', 'Product']).optional(),
  product_name: z.string().optional(),
  account_id: z.union([z.string(), z.number()]).optional(),
});
export type UsageCappedProblem = z.infer<typeof UsageCappedProblem>;

/** `invalid-request` (400): a parameter is wrong; `errors` names it. */
export const InvalidRequestProblem = Problem.extend({
  type: problemType('invalid-request'),
  errors: z
    .array(
      z.looseObject({
        message: z.string().optional(),
        parameters: z.record(z.string(), z.unknown()).optional(),
      }),
    )
    .optional(),
});
export type InvalidRequestProblem = z.infer<typeof InvalidRequestProblem>;

/** `client-forbidden` (403): the app is not enrolled for this endpoint (it must belong to a Project). */
export const ClientForbiddenProblem = Problem.extend({
  type: problemType('client-forbidden'),
  reason: openEnum(['official-client-forbidden', 'client-not-enrolled']).optional(),
  registration_url: z.string().optional(),
  client_id: z.string().optional(),
  required_enrollment: z.string().optional(),
});
export type ClientForbiddenProblem = z.infer<typeof ClientForbiddenProblem>;

/** `unsupported-authentication` (403): streams and rules accept only an app-only bearer token. */
export const UnsupportedAuthenticationProblem = Problem.extend({
  type: problemType('unsupported-authentication'),
});
export type UnsupportedAuthenticationProblem = z.infer<typeof UnsupportedAuthenticationProblem>;

/** `resource-not-found`: a referenced post, user, … does not exist (partial error next to `data`). */
export const ResourceNotFoundProblem = Problem.extend({
  type: problemType('resource-not-found'),
  parameter: z.string(),
  value: z.string(),
  resource_type: resourceType,
  resource_id: z.string().optional(),
});
export type ResourceNotFoundProblem = z.infer<typeof ResourceNotFoundProblem>;

/** `not-authorized-for-resource`: a referenced post, user, … may not be seen (partial error). */
export const ResourceUnauthorizedProblem = Problem.extend({
  type: problemType('not-authorized-for-resource'),
  parameter: z.string(),
  value: z.string(),
  resource_type: resourceType,
  resource_id: z.string().optional(),
  section: section.optional(),
});
export type ResourceUnauthorizedProblem = z.infer<typeof ResourceUnauthorizedProblem>;

/** `not-authorized-for-field`: a requested field needs user context or ownership (partial error). */
export const FieldUnauthorizedProblem = Problem.extend({
  type: problemType('not-authorized-for-field'),
  field: z.string(),
  resource_type: resourceType,
  section: section.optional(),
});
export type FieldUnauthorizedProblem = z.infer<typeof FieldUnauthorizedProblem>;

/** `client-disconnected`: X considers the client gone. */
export const ClientDisconnectedProblem = Problem.extend({
  type: problemType('client-disconnected'),
});
export type ClientDisconnectedProblem = z.infer<typeof ClientDisconnectedProblem>;
