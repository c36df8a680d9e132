/** What a stream connection asked for with `expansions` and the `*.fields` parameters. */
export interface FieldSelection {
  expansions: ReadonlySet<string>;
  tweet: ReadonlySet<string>;
  user: ReadonlySet<string>;
  media: ReadonlySet<string>;
  place: ReadonlySet<string>;
  poll: ReadonlySet<string>;
  /** `like_with_tweet_author.fields` (likes streams). */
  like: ReadonlySet<string>;
}

/** Fields X returns when none are requested (spec §2.2). */
export const DEFAULT_FIELDS = {
  tweet: ['id', 'text', 'edit_history_tweet_ids'],
  user: ['id', 'name', 'username'],
  media: ['media_key', 'type'],
  place: ['id', 'full_name'],
  poll: ['id', 'options'],
  /** Not documented; the emulator sends the like's id and what it is about (decisions/0007). */
  like: ['id', 'liked_tweet_id', 'tweet_author_id'],
} as const;

/** Post fields an expansion brings along even when `tweet.fields` does not name them. */
const FIELDS_OF_EXPANSION: Record<string, readonly string[]> = {
  author_id: ['author_id'],
  'entities.mentions.username': ['entities'],
  in_reply_to_user_id: ['in_reply_to_user_id'],
  'referenced_tweets.id': ['referenced_tweets'],
  'referenced_tweets.id.author_id': ['referenced_tweets'],
  'referenced_tweets.id.attachments.media_keys': ['referenced_tweets'],
  'attachments.media_keys': ['attachments'],
  'attachments.poll_ids': ['attachments'],
  'geo.place_id': ['geo'],
};

/** Builds a selection from the parsed list parameters. */
export function fieldSelection(
  lists: Partial<Record<keyof FieldSelection, readonly string[]>>,
): FieldSelection {
  const expansions = new Set(lists.expansions ?? []);
  const tweet = new Set<string>([...DEFAULT_FIELDS.tweet, ...(lists.tweet ?? [])]);
  for (const expansion of expansions)
    for (const f of FIELDS_OF_EXPANSION[expansion] ?? []) tweet.add(f);
  return {
    expansions,
    tweet,
    user: new Set([...DEFAULT_FIELDS.user, ...(lists.user ?? [])]),
    media: new Set([...DEFAULT_FIELDS.media, ...(lists.media ?? [])]),
    place: new Set([...DEFAULT_FIELDS.place, ...(lists.place ?? [])]),
    poll: new Set([...DEFAULT_FIELDS.poll, ...(lists.poll ?? [])]),
    // X's field list says `liked_tweet_author_id`, its object `tweet_author_id`: send the object's name.
    like: new Set(
      [...DEFAULT_FIELDS.like, ...(lists.like ?? [])].map((f) =>
        f === 'liked_tweet_author_id' ? 'tweet_author_id' : f,
      ),
    ),
  };
}
