// Public API of @birdstream/rules. Everything not exported here is internal.

/** The X API host used unless `baseUrl` says otherwise (core's, re-exported). */
export { DEFAULT_BASE_URL, DEFAULT_RETRY, preloadRestClients } from '@birdstream/core';
export type { AddRulesResult } from './client/add.js';
export type { AddRuleOutcome } from './client/add-outcomes.js';
export type { RulesCountResult } from './client/counts.js';
export type { DeleteRulesResult } from './client/delete.js';
export { MAX_IDS_PER_REQUEST } from './client/endpoints.js';
export type {
  DuplicateRuleError,
  InvalidRuleError,
  NoncompliantRuleError,
  OtherRuleError,
  RuleCapError,
  RuleError,
} from './client/rule-errors.js';
export { RulesClient } from './client/rules-client.js';
export type {
  AddOptions,
  CountsOptions,
  DeleteAllOptions,
  DeleteOptions,
  DeleteTarget,
  ListOptions,
  PagesOptions,
  RequestOptions,
  RuleInput,
  RulesClientOptions,
  RulesCountField,
  RulesPage,
} from './client/types.js';
export type { RulesDocumentIssue, RulesDocumentIssueCode } from './document/document-issue.js';
export { loadRules } from './document/load-rules.js';
export type {
  LocatedArray,
  LocatedEntry,
  LocatedNode,
  LocatedObject,
  LocatedString,
} from './document/located-node.js';
export {
  type LocatedRule,
  type ParseRulesDocumentOptions,
  parseRulesDocument,
  type RulesDocument,
  RulesDocumentEntry,
  safeParseRulesDocument,
} from './document/parse-rules-document.js';
export {
  type ReadRulesTreeOptions,
  type RulesDocumentResult,
  readRulesTree,
} from './document/read-rules-tree.js';
export type { DocumentPosition } from './document/source-lines.js';
export { isRuleValidationError, RuleValidationError } from './errors/rule-validation-error.js';
export { isRulesDocumentError, RulesDocumentError } from './errors/rules-document-error.js';
export { isRulesResponseError, RulesResponseError } from './errors/rules-response-error.js';
export { DEFAULT_TIMEOUT_MS } from './http/transport.js';
export {
  DuplicateRule,
  NoncompliantRules,
  RuleCap,
  UnprocessableEntity,
} from './schemas/problems.js';
export {
  AddRulesResponse,
  AddSummary,
  DeleteRulesResponse,
  DeleteSummary,
  RulesCount,
  RulesCountResponse,
  RulesLookupResponse,
} from './schemas/responses.js';
export { Count, Rule, RuleId } from './schemas/rule.js';
export {
  ActivitySubscription,
  SubscriptionCreateResponse,
  SubscriptionDeleteResponse,
  SubscriptionsListResponse,
  SubscriptionUpdateResponse,
} from './subscriptions/subscription-schemas.js';
export {
  type CreatedSubscription,
  type DeletedSubscription,
  type SubscriptionInput,
  type SubscriptionListOptions,
  type SubscriptionRequestOptions,
  SubscriptionsClient,
  type SubscriptionsClientOptions,
  type SubscriptionUpdate,
} from './subscriptions/subscriptions-client.js';
export type { SyncPlan } from './sync/plan.js';
export type { SyncOptions, SyncOutcome, SyncResult } from './sync/sync.js';
export { type ArgumentCheck, type ArgumentIssue, LANGUAGE_CODES } from './validation/arguments.js';
export { MAX_POSITIVE_CLAUSES, MAX_PROXIMITY } from './validation/checks.js';
export {
  findOperator,
  OPERATORS,
  type OperatorKind,
  type OperatorNegation,
  type OperatorSpec,
} from './validation/operators.js';
export {
  type ParsedRule,
  type ParseIssue,
  parseRule,
  type RuleNode,
} from './validation/parser.js';
export {
  DEFAULT_RULE_LIMITS,
  RULE_TIERS,
  type RuleTier,
  type RuleTierLimits,
} from './validation/tiers.js';
export type {
  EntityTerm,
  KeywordTerm,
  OperatorTerm,
  PhraseTerm,
  Term,
  TokenIssue,
} from './validation/tokenizer.js';
export type { RuleProblem, RuleProblemCode, RuleValidation } from './validation/types.js';
export { type ValidateRuleOptions, validateRule } from './validation/validate-rule.js';
export {
  type RuleLike,
  type RuleSetProblem,
  type RuleSetValidation,
  type ValidateRulesOptions,
  validateRules,
} from './validation/validate-rules.js';
