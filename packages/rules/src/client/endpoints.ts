/** `GET` lists rules, `POST` adds or deletes them (spec §1.2). */
export const RULES_PATH = '2/tweets/search/stream/rules';

/** `GET` rule counts and caps. */
export const RULE_COUNTS_PATH = '2/tweets/search/stream/rules/counts';

/** At most this many ids per `GET rules?ids=` request (spec §2.3). */
export const MAX_IDS_PER_REQUEST = 1000;

/** `max_results` bounds for `GET rules` (spec §2.3). */
export const MAX_RESULTS_LIMIT = 1000;
