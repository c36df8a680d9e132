import type { JoinedResponse, ResponseWithPost } from './joined-post.js';

/**
 * Joining a stream response's post with its `includes`: the one behaviour
 * every birdstream package shares (`@birdstream/rx`'s `resolveIncludes()`,
 * the CLI's `--flatten`).
 *
 * - the author (`author_id`) and the replied-to user (`in_reply_to_user_id`)
 *   from `includes.users` by id;
 * - mentioned users, from `entities.mentions` and the long-form
 *   `note_tweet.entities.mentions`: matched by `id`, else by `username`
 *   (case-insensitively; X omits mention ids in some payloads), each user
 *   once, in order of first mention;
 * - media (`attachments.media_keys`, in attachment order), polls
 *   (`attachments.poll_ids`) and the place (`geo.place_id`);
 * - referenced posts (`referenced_tweets[].id` → `includes.tweets`), each
 *   joined the same way, down to {@link MAX_REFERENCE_DEPTH} levels below the
 *   post (a reply to a quote of a retweet), never around a cycle.
 *
 * What is missing from `includes` (a deleted post, an expansion that was not
 * requested) is `undefined` or left out, never an error. Nothing is copied
 * or changed: the joined objects are the ones in the response.
 */

/** How many levels of referenced posts are joined below the post itself. */
export const MAX_REFERENCE_DEPTH = 3;

/** What the join builds, before it is typed from the response. */
interface LooseJoin {
  post: Record<string, unknown>;
  author: unknown;
  inReplyToUser: unknown;
  mentions: unknown[];
  media: unknown[];
  polls: unknown[];
  place: unknown;
  referencedTweets: { type: unknown; id: string; post: LooseJoin | undefined }[];
}

/** Includes of one response, indexed for lookups. */
export class IncludesIndex {
  readonly #usersById = new Map<string, unknown>();
  readonly #usersByName = new Map<string, unknown>();
  readonly #posts = new Map<string, Record<string, unknown>>();
  readonly #media = new Map<string, unknown>();
  readonly #polls = new Map<string, unknown>();
  readonly #places = new Map<string, unknown>();

  constructor(includes: unknown) {
    const from = isObject(includes) ? includes : {};
    for (const user of list(from.users)) {
      if (!isObject(user)) continue;
      if (typeof user.id === 'string' && !this.#usersById.has(user.id)) {
        this.#usersById.set(user.id, user);
      }
      if (typeof user.username === 'string') {
        const name = user.username.toLowerCase();
        if (!this.#usersByName.has(name)) this.#usersByName.set(name, user);
      }
    }
    index(list(from.tweets), 'id', this.#posts as Map<string, unknown>);
    index(list(from.media), 'media_key', this.#media);
    index(list(from.polls), 'id', this.#polls);
    index(list(from.places), 'id', this.#places);
  }

  /** The included user with this id. */
  user(id: unknown): unknown {
    return lookup(this.#usersById, id);
  }

  /** The user a mention entity names: by `id`, else by `username` (case-insensitively). */
  mentionedUser(mention: unknown): unknown {
    if (!isObject(mention)) return undefined;
    const byId = lookup(this.#usersById, mention.id);
    if (byId !== undefined) return byId;
    return typeof mention.username === 'string'
      ? this.#usersByName.get(mention.username.toLowerCase())
      : undefined;
  }

  /** The included post with this id. */
  post(id: unknown): Record<string, unknown> | undefined {
    return lookup(this.#posts, id) as Record<string, unknown> | undefined;
  }

  /** The included media with these keys, in order, the missing ones left out. */
  media(keys: unknown): unknown[] {
    return lookupAll(this.#media, keys);
  }

  /** The included polls with these ids, in order, the missing ones left out. */
  polls(ids: unknown): unknown[] {
    return lookupAll(this.#polls, ids);
  }

  /** The included place with this id. */
  place(id: unknown): unknown {
    return lookup(this.#places, id);
  }
}

/**
 * Joins a stream response's post (`data`) with its `includes`: the author,
 * the replied-to user, mentioned users (by id, else by username), media,
 * polls, the place and the referenced posts, each joined the same way down
 * to {@link MAX_REFERENCE_DEPTH} levels. The result is typed from the
 * response, so a stream typed by its parameters keeps its fields. Nothing
 * is copied: the joined objects are the response's own. What is missing
 * from `includes` (a deleted post, an expansion that was not requested) is
 * `undefined` or left out, never an error. `@birdstream/rx`'s
 * `resolveIncludes()` maps a pipeline through it.
 *
 * Throws `TypeError` when the response has no post (`data` with an `id`).
 *
 * @example
 * ```ts
 * for await (const response of client.filter({ expansions: ['author_id', 'referenced_tweets.id'] })) {
 *   const { post, author, referencedTweets } = joinIncludes(response);
 *   console.log(`@${author?.username}: ${post.text}`, referencedTweets[0]?.post?.post.text);
 * }
 * ```
 */
export function joinIncludes<R extends ResponseWithPost>(response: R): JoinedResponse<R> {
  const data = isObject(response) ? (response as Record<string, unknown>).data : undefined;
  if (!isObject(data) || typeof data.id !== 'string') {
    throw new TypeError('joinIncludes needs a stream response with a post (data.id).');
  }
  const from = response as unknown as Record<string, unknown>;
  const includes = new IncludesIndex(from.includes);
  const joined = {
    ...joinPost(data, includes, new Set(), 0),
    matchingRules: list(from.matching_rules),
    errors: list(from.errors),
  };
  return joined as unknown as JoinedResponse<R>;
}

function joinPost(
  post: Record<string, unknown>,
  includes: IncludesIndex,
  visiting: Set<unknown>,
  depth: number,
): LooseJoin {
  visiting.add(post.id);
  const referencedTweets = list(post.referenced_tweets).flatMap((reference) => {
    if (!isObject(reference) || typeof reference.id !== 'string') return [];
    const included = includes.post(reference.id);
    const joined =
      included && depth < MAX_REFERENCE_DEPTH && !visiting.has(reference.id)
        ? joinPost(included, includes, visiting, depth + 1)
        : undefined;
    return [{ type: reference.type, id: reference.id, post: joined }];
  });
  visiting.delete(post.id);
  const attachments = isObject(post.attachments) ? post.attachments : {};
  const geo = isObject(post.geo) ? post.geo : {};
  return {
    post,
    author: includes.user(post.author_id),
    inReplyToUser: includes.user(post.in_reply_to_user_id),
    mentions: mentionedUsers(post, includes),
    media: includes.media(attachments.media_keys),
    polls: includes.polls(attachments.poll_ids),
    place: includes.place(geo.place_id),
    referencedTweets,
  };
}

/** The mention entities of a post: its text's, then its long-form note's. */
function mentionEntities(post: Record<string, unknown>): unknown[] {
  const entities = isObject(post.entities) ? post.entities : {};
  const note = isObject(post.note_tweet) ? post.note_tweet : {};
  const noteEntities = isObject(note.entities) ? note.entities : {};
  return [...list(entities.mentions), ...list(noteEntities.mentions)];
}

function mentionedUsers(post: Record<string, unknown>, includes: IncludesIndex): unknown[] {
  const users: unknown[] = [];
  for (const mention of mentionEntities(post)) {
    const user = includes.mentionedUser(mention);
    if (user !== undefined && !users.includes(user)) users.push(user);
  }
  return users;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function index(items: unknown[], key: string, into: Map<string, unknown>): void {
  for (const item of items) {
    if (!isObject(item)) continue;
    const id = item[key];
    if (typeof id === 'string' && !into.has(id)) into.set(id, item);
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
