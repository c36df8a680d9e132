import { complianceEvent } from '../schemas/compliance-event.js';

/**
 * The identity of one message per stream family, for deduplication: a
 * message redelivered by backfill, recovery or a second partition has the
 * same key; two different events never share one. Each reads `unknown`
 * (messages may be unvalidated with `validate: 'off'`) and returns
 * `undefined` for a message that carries no item (an error-only message).
 */

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)
    : undefined;
}

function stringAt(value: unknown, key: string): string | undefined {
  const field = record(value)?.[key];
  return typeof field === 'string' ? field : undefined;
}

/** Posts: `data.id`. */
export function postKey(message: unknown): string | undefined {
  return stringAt(record(message)?.data, 'id');
}

/** Likes: the like's own id (`data.id`), never the liked post's. */
export function likeKey(message: unknown): string | undefined {
  return stringAt(record(message)?.data, 'id');
}

/**
 * Compliance events: the event's identity, `kind:objectId:event_at` (an
 * unlike adds the account, or the like's own id in the `delete.like` shape:
 * `favorite_delete:postId:userId:event_at`). A
 * post deleted and then dropped, or edited twice, gives distinct keys.
 */
export function complianceKey(message: unknown): string | undefined {
  const event = complianceEvent(record(message)?.data as never);
  if (event === undefined) return undefined;
  if (event.kind === 'favorite_delete') {
    const who = 'favorite' in event.event ? event.event.favorite.user_id : event.event.like.id;
    return `${event.kind}:${event.objectId}:${who}:${event.event.event_at}`;
  }
  return `${event.kind}:${event.objectId}:${event.event.event_at}`;
}

/**
 * Label events: `kind:postId:event_type:application:event_at`, so applying
 * and removing a label, or two labels on one post, stay distinct.
 */
export function labelKey(message: unknown): string | undefined {
  const data = record(record(message)?.data);
  if (data === undefined) return undefined;
  for (const kind of ['public_tweet_notice', 'public_tweet_unviewable'] as const) {
    const body = record(data[kind]);
    const postId = stringAt(body?.tweet, 'id');
    if (body === undefined || postId === undefined) continue;
    const type = stringAt(body, 'event_type') ?? '';
    return `${kind}:${postId}:${type}:${stringAt(body, 'application') ?? ''}:${stringAt(body, 'event_at') ?? ''}`;
  }
  return undefined;
}

/** Activity events: `data.event_uuid`. */
export function activityKey(message: unknown): string | undefined {
  return stringAt(record(message)?.data, 'event_uuid');
}
