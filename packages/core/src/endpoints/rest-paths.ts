import { STREAM_ENDPOINT_TABLE } from './endpoint-table.js';

/**
 * The REST endpoints birdstream speaks besides the streams, by path (with
 * the leading slash): the clients of core and `@birdstream/rules` and the
 * emulator's routes read them here, next to the stream table. The rules
 * paths hang off the filtered stream's path.
 */
export const REST_PATHS = {
  /** `GET` lists rules, `POST` adds or deletes them. */
  rules: `${STREAM_ENDPOINT_TABLE.filter.path}/rules`,
  /** `GET` rule counts and caps. */
  ruleCounts: `${STREAM_ENDPOINT_TABLE.filter.path}/rules/counts`,
  /** `GET` lists and `POST` creates X Activity subscriptions; `/{id}` updates or deletes one. */
  activitySubscriptions: '/2/activity/subscriptions',
  /** `GET` lists the app's stream connections, `DELETE` kills by UUID; `/all` and `/{endpoint_id}` kill in bulk. */
  connections: '/2/connections',
  /** `GET` the project's post usage against its cap. */
  usage: '/2/usage/tweets',
  /** `GET` lists and `POST` registers webhooks; `/{webhook_id}`: `PUT` re-validates (a CRC), `DELETE` deletes. */
  webhooks: '/2/webhooks',
  /** `POST` starts a replay job: redelivers to one webhook what it was sent in a window of the last 24 hours. */
  webhookReplay: '/2/webhooks/replay',
  /**
   * `GET` lists the filtered stream's webhook links; `/{webhook_id}`: `POST` links a webhook with
   * the stream's `*.fields`/`expansions`, `DELETE` unlinks it (rules stay on `rules`).
   */
  filteredStreamWebhooks: '/2/tweets/search/webhooks',
} as const;

/** A path of {@link REST_PATHS} relative to a base URL (no leading slash), as ky's `prefixUrl` wants it. */
export function relativePath(path: string): string {
  return path.replace(/^\/+/, '');
}
