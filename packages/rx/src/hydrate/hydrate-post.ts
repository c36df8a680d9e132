import type { HydratedPost, HydratedPostBase, ResponseWithPost } from './hydrated-post.js';

/** The fields read while joining; every one is optional, as on the wire. */
interface LoosePost {
  id: string;
  author_id?: unknown;
  in_reply_to_user_id?: unknown;
  attachments?: { media_keys?: unknown; poll_ids?: unknown } | null;
  geo?: { place_id?: unknown } | null;
  referenced_tweets?: unknown;
  entities?: { mentions?: unknown } | null;
  note_tweet?: { entities?: { mentions?: unknown } | null } | null;
}

interface LooseResponse {
  data: LoosePost;
  includes?: Record<string, unknown> | null;
  matching_rules?: unknown;
  errors?: unknown;
}

/** Includes of one response, indexed for lookups. */
class IncludesIndex {
  readonly usersById = new Map<string, unknown>();
  readonly usersByName = new Map<string, unknown>();
  readonly tweetsById = new Map<string, LoosePost>();
  readonly mediaByKey = new Map<string, unknown>();
  readonly pollsById = new Map<string, unknown>();
  readonly placesById = new Map<string, unknown>();

  constructor(includes: Record<string, unknown> | null | undefined) {
    for (const user of list(includes?.users)) {
      const { id, username } = user as { id?: unknown; username?: unknown };
      if (typeof id === 'string') this.usersById.set(id, user);
      if (typeof username === 'string') this.usersByName.set(username.toLowerCase(), user);
    }
    index(list(includes?.tweets), 'id', this.tweetsById as Map<string, unknown>);
    index(list(includes?.media), 'media_key', this.mediaByKey);
    index(list(includes?.polls), 'id', this.pollsById);
    index(list(includes?.places), 'id', this.placesById);
  }
}

/** How deep referenced posts are hydrated (a reply to a quote of a retweet …). */
const MAX_REFERENCE_DEPTH = 3;

/**
 * Joins a stream response's post with its `includes`: author, replied-to
 * user, mentioned users, media, polls, place and referenced posts (each
 * hydrated the same way). Missing includes — a deleted post, an expansion
 * that was not requested — give `undefined` or are left out, never an error.
 *
 * @example
 * ```ts
 * const hydrated = hydratePost(response);
 * console.log(hydrated.author?.username, hydrated.media.length);
 * ```
 */
export function hydratePost<R extends ResponseWithPost>(response: R): HydratedPost<R> {
  const loose = response as unknown as LooseResponse;
  const includes = new IncludesIndex(loose.includes);
  const base = hydrate(loose.data, includes, new Set(), 0);
  return {
    ...base,
    matchingRules: list(loose.matching_rules),
    errors: list(loose.errors),
  } as unknown as HydratedPost<R>;
}

function hydrate(
  post: LoosePost,
  includes: IncludesIndex,
  visiting: Set<string>,
  depth: number,
): HydratedPostBase<unknown, unknown> {
  visiting.add(post.id);
  const referencedTweets = list(post.referenced_tweets).flatMap((ref) => {
    const { type, id } = ref as { type?: unknown; id?: unknown };
    if (typeof id !== 'string') return [];
    const included = includes.tweetsById.get(id);
    const hydrated =
      included && depth < MAX_REFERENCE_DEPTH && !visiting.has(id)
        ? hydrate(included, includes, visiting, depth + 1)
        : undefined;
    return [{ type, id, post: hydrated }];
  });
  visiting.delete(post.id);
  return {
    post,
    author: lookup(includes.usersById, post.author_id),
    inReplyToUser: lookup(includes.usersById, post.in_reply_to_user_id),
    mentions: mentionedUsers(post, includes),
    media: lookupAll(includes.mediaByKey, post.attachments?.media_keys),
    polls: lookupAll(includes.pollsById, post.attachments?.poll_ids),
    place: lookup(includes.placesById, post.geo?.place_id),
    referencedTweets,
  } as HydratedPostBase<unknown, unknown>;
}

function mentionedUsers(post: LoosePost, includes: IncludesIndex): unknown[] {
  const users: unknown[] = [];
  const mentions = [...list(post.entities?.mentions), ...list(post.note_tweet?.entities?.mentions)];
  for (const mention of mentions) {
    const { id, username } = mention as { id?: unknown; username?: unknown };
    const user =
      lookup(includes.usersById, id) ??
      (typeof username === 'string' ? includes.usersByName.get(username.toLowerCase()) : undefined);
    if (user !== undefined && !users.includes(user)) users.push(user);
  }
  return users;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function index(items: unknown[], key: string, into: Map<string, unknown>): void {
  for (const item of items) {
    const id = (item as Record<string, unknown> | null)?.[key];
    if (typeof id === 'string') into.set(id, item);
  }
}

function lookup(map: Map<string, unknown>, key: unknown): unknown {
  return typeof key === 'string' ? map.get(key) : undefined;
}

function lookupAll(map: Map<string, unknown>, keys: unknown): unknown[] {
  return list(keys).flatMap((key) => {
    const found = lookup(map, key);
    return found === undefined ? [] : [found];
  });
}
