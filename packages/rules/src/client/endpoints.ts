import { REST_PATHS, relativePath } from '@birdstream/core/internal';

/** `GET` lists rules, `POST` adds or deletes them (spec §1.2). */
export const RULES_PATH = relativePath(REST_PATHS.rules);

/** `GET` rule counts and caps. */
export const RULE_COUNTS_PATH = relativePath(REST_PATHS.ruleCounts);

/** At most this many ids per `GET rules?ids=` request (spec §2.3). */
export const MAX_IDS_PER_REQUEST = 1000;

/** `max_results` bounds for `GET rules` (spec §2.3). */
export const MAX_RESULTS_LIMIT = 1000;
