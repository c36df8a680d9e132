import { type JoinedPost, joinIncludes } from '@birdstream/core';
import { IncludesIndex } from '@birdstream/core/internal';

/** A post or any object from the stream: plain JSON. */
type JsonObject = Record<string, unknown>;

/** The parts of a stream response `flattenResponse` reads. */
export interface FlattenInput {
  data?: unknown;
  includes?: unknown;
  matching_rules?: unknown;
  errors?: unknown;
}

/** A response with a post, as plain JSON: what the join is typed from here. */
interface JsonResponse {
  data: JsonObject & { id: string };
  includes?: { tweets?: JsonObject[] };
}

/** A post (the response's, or a referenced one) joined with the response's includes. */
type JoinedJsonPost = JoinedPost<JsonResponse, JsonObject>;

/**
 * Resolves a stream response's `includes` into its post, so each line is a
 * self-contained record (the `--flatten` output). What is joined, and how,
 * is core's `joinIncludes()` — the same join as `@birdstream/rx`'s
 * `resolveIncludes()` — written into the post's own JSON:
 *
 * - `author` next to `author_id`, `in_reply_to_user` next to `in_reply_to_user_id`;
 * - `attachments.media` (from `media_keys`) and `attachments.poll` (from `poll_ids`);
 * - `geo.place` (from `geo.place_id`);
 * - `user` on each mention of `entities.mentions` and
 *   `note_tweet.entities.mentions` (matched by id, else by username,
 *   case-insensitively);
 * - `referenced_tweets[].tweet`, itself flattened the same way, down to
 *   three levels of references;
 * - `matching_rules` and any partial `errors` of the response.
 *
 * The ids stay, so nothing is lost when an object is missing from `includes`.
 * Returns `undefined` for a response without a post.
 */
export function flattenResponse(response: FlattenInput): JsonObject | undefined {
  if (!isObject(response.data) || typeof response.data.id !== 'string') return undefined;
  const joined = joinIncludes(response as JsonResponse);
  const post = render(joined, new IncludesIndex(response.includes));
  if (Array.isArray(response.matching_rules)) post.matching_rules = response.matching_rules;
  if (Array.isArray(response.errors) && response.errors.length > 0) post.errors = response.errors;
  return post;
}

/** Writes a joined post back into the post's JSON shape. */
function render(joined: JoinedJsonPost, includes: IncludesIndex): JsonObject {
  const post = joined.post;
  const out: JsonObject = { ...post };
  if (joined.author !== undefined) out.author = joined.author;
  if (joined.inReplyToUser !== undefined) out.in_reply_to_user = joined.inReplyToUser;

  if (isObject(post.attachments)) {
    const attachments: JsonObject = { ...post.attachments };
    if (joined.media.length > 0) attachments.media = joined.media;
    if (joined.polls[0] !== undefined) attachments.poll = joined.polls[0];
    out.attachments = attachments;
  }

  if (isObject(post.geo) && joined.place !== undefined)
    out.geo = { ...post.geo, place: joined.place };

  if (isObject(post.entities) && Array.isArray(post.entities.mentions)) {
    out.entities = { ...post.entities, mentions: withUsers(post.entities.mentions, includes) };
  }
  if (isObject(post.note_tweet) && isObject(post.note_tweet.entities)) {
    const entities = post.note_tweet.entities;
    if (Array.isArray(entities.mentions)) {
      out.note_tweet = {
        ...post.note_tweet,
        entities: { ...entities, mentions: withUsers(entities.mentions, includes) },
      };
    }
  }

  if (Array.isArray(post.referenced_tweets)) {
    const byId = new Map(
      joined.referencedTweets.map((reference) => [reference.id, reference.post]),
    );
    out.referenced_tweets = post.referenced_tweets.map((reference: unknown) => {
      if (!isObject(reference)) return reference;
      const referenced = byId.get(reference.id as string);
      return referenced ? { ...reference, tweet: render(referenced, includes) } : reference;
    });
  }
  return out;
}

/** The mention entities, each with the `user` it names when that user was included. */
function withUsers(mentions: unknown[], includes: IncludesIndex): unknown[] {
  return mentions.map((mention) => {
    const user = includes.mentionedUser(mention);
    return user !== undefined && isObject(mention) ? { ...mention, user } : mention;
  });
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
