import { ConfigError } from '@birdstream/core';
import { RulesResponseError } from '../errors/rules-response-error.js';
import type { Transport } from '../http/transport.js';
import { RulesLookupResponse } from '../schemas/responses.js';
import { MAX_IDS_PER_REQUEST, MAX_RESULTS_LIMIT, RULES_PATH } from './endpoints.js';
import { checkIds, chunk } from './inputs.js';
import { toRuleError } from './rule-errors.js';
import type { PagesOptions, RulesPage } from './types.js';

const OPERATION = 'list the filtered stream rules';

/**
 * Yields every page of rules, following `meta.next_token`. With `ids`, sends
 * them 1,000 per request (X's limit) and pages through each chunk.
 */
export async function* listPages(
  transport: Transport,
  options: PagesOptions = {},
): AsyncGenerator<RulesPage, void, undefined> {
  const maxResults = checkMaxResults(options.maxResults);
  const idChunks =
    options.ids === undefined
      ? [undefined]
      : chunk(checkIds(options.ids, 'list()'), MAX_IDS_PER_REQUEST);

  let token = options.paginationToken;
  for (const ids of idChunks) {
    const seen = new Set<string>();
    do {
      const searchParams: Record<string, string> = {};
      if (ids) searchParams.ids = ids.join(',');
      if (maxResults !== undefined) searchParams.max_results = String(maxResults);
      if (token !== undefined) searchParams.pagination_token = token;
      const { status, body, drift } = await transport.request(
        {
          method: 'GET',
          path: RULES_PATH,
          searchParams,
          signal: options.signal,
          operation: OPERATION,
        },
        RulesLookupResponse,
      );
      const page: RulesPage = {
        rules: body.data ?? [],
        errors: (body.errors ?? []).map(toRuleError),
        drift,
      };
      if (body.meta.sent !== undefined) page.sent = body.meta.sent;
      if (body.meta.result_count !== undefined) page.resultCount = body.meta.result_count;
      if (body.meta.next_token !== undefined) page.nextToken = body.meta.next_token;

      token = body.meta.next_token;
      if (token !== undefined && seen.has(token)) {
        throw new RulesResponseError({
          kind: 'schema-mismatch',
          status,
          operation: OPERATION,
          bodyText: JSON.stringify(body),
          issues: [
            {
              path: ['meta', 'next_token'],
              message:
                'the same pagination token came back twice; stopped to avoid an endless loop',
            },
          ],
        });
      }
      if (token !== undefined) seen.add(token);
      yield page;
    } while (token !== undefined);
  }
}

function checkMaxResults(maxResults: number | undefined): number | undefined {
  if (maxResults === undefined) return undefined;
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > MAX_RESULTS_LIMIT) {
    throw new ConfigError(
      `maxResults must be a whole number from 1 to ${MAX_RESULTS_LIMIT}, got ${String(maxResults)}.`,
    );
  }
  return maxResults;
}
