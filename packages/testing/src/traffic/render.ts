import type { MatchingRule } from '../rules/rule-store.js';
import type { FieldSelection } from './field-selection.js';
import type { GenTweet, GenUser, PostWorld } from './model.js';

/** A stream message as sent: `data`, `includes`, `matching_rules`. */
export interface StreamMessage {
  data: Record<string, unknown>;
  includes?: Record<string, Record<string, unknown>[]>;
  matching_rules?: MatchingRule[];
}

function pick(
  source: object,
  fields: ReadonlySet<string>,
  extra?: ReadonlySet<string>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) {
    if (value !== undefined && (fields.has(key) || extra?.has(key))) out[key] = value;
  }
  return out;
}

/**
 * Renders a post for one connection: only the requested fields, `includes`
 * for the requested expansions (users, media, polls, places, referenced and
 * earlier-version posts), and `matching_rules` on the filtered stream.
 */
export function renderMessage(
  world: PostWorld,
  selection: FieldSelection,
  matchingRules?: MatchingRule[],
): StreamMessage {
  const { tweet } = world;
  const x = selection.expansions;
  const message: StreamMessage = { data: pick(tweet, selection.tweet) };

  const users = new Map<string, GenUser>();
  const addUser = (id: string | undefined) => {
    const user = id === undefined ? undefined : world.users.get(id);
    if (user && !users.has(user.id)) users.set(user.id, user);
  };
  if (x.has('author_id')) addUser(tweet.author_id);
  if (x.has('entities.mentions.username'))
    for (const m of tweet.entities?.mentions ?? []) addUser(m.id);
  if (x.has('in_reply_to_user_id')) addUser(tweet.in_reply_to_user_id);

  const tweets: GenTweet[] = [];
  const referencedIds = new Set((tweet.referenced_tweets ?? []).map((r) => r.id));
  const refs = world.referenced.filter((r) => referencedIds.has(r.id));
  if (x.has('referenced_tweets.id')) tweets.push(...refs);
  if (x.has('edit_history_tweet_ids')) {
    const earlier = new Set(tweet.edit_history_tweet_ids.filter((id) => id !== tweet.id));
    tweets.push(...world.referenced.filter((r) => earlier.has(r.id)));
  }
  if (x.has('referenced_tweets.id.author_id')) for (const r of refs) addUser(r.author_id);

  const mediaKeys: string[] = [];
  if (x.has('attachments.media_keys')) mediaKeys.push(...(tweet.attachments?.media_keys ?? []));
  if (x.has('referenced_tweets.id.attachments.media_keys'))
    for (const r of refs) mediaKeys.push(...(r.attachments?.media_keys ?? []));

  const includes: Record<string, Record<string, unknown>[]> = {};
  if (users.size) includes.users = [...users.values()].map((u) => pick(u, selection.user));
  if (tweets.length) {
    const extra = new Set<string>();
    if (x.has('referenced_tweets.id.author_id')) extra.add('author_id');
    if (x.has('referenced_tweets.id.attachments.media_keys')) extra.add('attachments');
    includes.tweets = tweets.map((t) => pick(t, selection.tweet, extra));
  }
  const media = [...new Set(mediaKeys)].flatMap((k) => {
    const m = world.media.get(k);
    return m ? [pick(m, selection.media)] : [];
  });
  if (media.length) includes.media = media;
  if (x.has('attachments.poll_ids')) {
    const polls = (tweet.attachments?.poll_ids ?? []).flatMap((id) => {
      const p = world.polls.get(id);
      return p ? [pick(p, selection.poll)] : [];
    });
    if (polls.length) includes.polls = polls;
  }
  if (x.has('geo.place_id') && tweet.geo) {
    const place = world.places.get(tweet.geo.place_id);
    if (place) includes.places = [pick(place, selection.place)];
  }
  if (Object.keys(includes).length) message.includes = includes;
  if (matchingRules) message.matching_rules = matchingRules;
  return message;
}
