/** A post or any object from the stream: plain JSON. */
type JsonObject = Record<string, unknown>;

/** The parts of a stream response `flattenResponse` reads. */
export interface StreamResponseLike {
  data?: unknown;
  includes?: unknown;
  matching_rules?: unknown;
  errors?: unknown;
}

/**
 * Resolves a stream response's `includes` into its post, so each line is a
 * self-contained record (the `--flatten` output):
 *
 * - `author` next to `author_id`, `in_reply_to_user` next to `in_reply_to_user_id`;
 * - `attachments.media` (from `media_keys`) and `attachments.poll` (from `poll_ids`);
 * - `geo.place` (from `geo.place_id`);
 * - `entities.mentions[].user` (matched by username, case-insensitively);
 * - `referenced_tweets[].tweet`, itself flattened one level (author, media, …);
 * - `matching_rules` and any partial `errors` of the response.
 *
 * The ids stay, so nothing is lost when an object is missing from `includes`.
 * Returns `undefined` for a response without a post.
 */
export function flattenResponse(response: StreamResponseLike): JsonObject | undefined {
  if (!isObject(response.data)) return undefined;
  const includes = isObject(response.includes) ? response.includes : {};
  const lookup = {
    users: indexBy(includes.users, 'id'),
    usernames: indexBy(includes.users, 'username', (key) => key.toLowerCase()),
    tweets: indexBy(includes.tweets, 'id'),
    media: indexBy(includes.media, 'media_key'),
    places: indexBy(includes.places, 'id'),
    polls: indexBy(includes.polls, 'id'),
  };
  const post = resolvePost(response.data, lookup, true);
  if (Array.isArray(response.matching_rules)) post.matching_rules = response.matching_rules;
  if (Array.isArray(response.errors) && response.errors.length > 0) post.errors = response.errors;
  return post;
}

interface Lookup {
  users: Map<string, JsonObject>;
  usernames: Map<string, JsonObject>;
  tweets: Map<string, JsonObject>;
  media: Map<string, JsonObject>;
  places: Map<string, JsonObject>;
  polls: Map<string, JsonObject>;
}

function resolvePost(post: JsonObject, lookup: Lookup, followReferences: boolean): JsonObject {
  const out: JsonObject = { ...post };
  const author = find(lookup.users, post.author_id);
  if (author) out.author = author;
  const repliedTo = find(lookup.users, post.in_reply_to_user_id);
  if (repliedTo) out.in_reply_to_user = repliedTo;

  if (isObject(post.attachments)) {
    const attachments: JsonObject = { ...post.attachments };
    const media = findAll(lookup.media, post.attachments.media_keys);
    if (media.length > 0) attachments.media = media;
    const poll = findAll(lookup.polls, post.attachments.poll_ids)[0];
    if (poll) attachments.poll = poll;
    out.attachments = attachments;
  }

  if (isObject(post.geo)) {
    const place = find(lookup.places, post.geo.place_id);
    if (place) out.geo = { ...post.geo, place };
  }

  if (isObject(post.entities) && Array.isArray(post.entities.mentions)) {
    const mentions = post.entities.mentions.map((mention: unknown) => {
      if (!isObject(mention) || typeof mention.username !== 'string') return mention;
      const user = lookup.usernames.get(mention.username.toLowerCase());
      return user ? { ...mention, user } : mention;
    });
    out.entities = { ...post.entities, mentions };
  }

  if (followReferences && Array.isArray(post.referenced_tweets)) {
    out.referenced_tweets = post.referenced_tweets.map((reference: unknown) => {
      if (!isObject(reference)) return reference;
      const tweet = find(lookup.tweets, reference.id);
      return tweet ? { ...reference, tweet: resolvePost(tweet, lookup, false) } : reference;
    });
  }
  return out;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function indexBy(
  list: unknown,
  key: string,
  normalise: (key: string) => string = (k) => k,
): Map<string, JsonObject> {
  const map = new Map<string, JsonObject>();
  if (!Array.isArray(list)) return map;
  for (const item of list) {
    if (!isObject(item)) continue;
    const id = item[key];
    if (typeof id === 'string' && !map.has(normalise(id))) map.set(normalise(id), item);
  }
  return map;
}

function find(map: Map<string, JsonObject>, id: unknown): JsonObject | undefined {
  return typeof id === 'string' ? map.get(id) : undefined;
}

function findAll(map: Map<string, JsonObject>, ids: unknown): JsonObject[] {
  if (!Array.isArray(ids)) return [];
  const found: JsonObject[] = [];
  for (const id of ids) {
    const item = find(map, id);
    if (item) found.push(item);
  }
  return found;
}
