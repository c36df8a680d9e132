import {
  COMMON_EMOJI,
  CONTEXT,
  EMULATOR_TOPICS,
  LANGUAGE_WEIGHTS,
  PLACES,
  POLLS,
  type PostLanguage,
  SENTENCES,
  SOURCES,
  TAILS,
  TOPIC_NAMES,
  type TopicName,
} from './corpus.js';
import type {
  GenMedia,
  GenPlace,
  GenPoll,
  GenTweet,
  GenUser,
  MatchFacts,
  PostWorld,
} from './model.js';
import { type Prng, prngFor, STREAM } from './prng.js';
import { snowflake, snowflakeTime as snowflakeTimeOf } from './snowflake.js';
import { TextBuilder } from './text-builder.js';
import { tokenize } from './tokens.js';
import { pickUserIndex, USER_POOL_SIZE, type UserDirectory } from './users.js';

/** What the generator needs besides the post index and time. */
export interface GeneratorContext {
  seed: number;
  users: UserDirectory;
}

type Kind = 'original' | 'reply' | 'quote' | 'retweet';

const LINK_SITES = [
  'https://example.com/blog/',
  'https://news.example.org/2026/',
  'https://github.com/example/',
];

const isoCache = new Map<number, string>();
/** `created_at` style: whole seconds, `.000Z` (memoised: nearby posts share their seconds). */
function isoSeconds(ms: number): string {
  const second = Math.floor(ms / 1000);
  let iso = isoCache.get(second);
  if (iso === undefined) {
    if (isoCache.size > 4096) isoCache.clear();
    iso = new Date(second * 1000).toISOString();
    isoCache.set(second, iso);
  }
  return iso;
}

function pickLanguage(rng: Prng, topic: TopicName): { lang: PostLanguage; sentence: string } {
  const wanted = rng.weighted(LANGUAGE_WEIGHTS);
  const sentences = SENTENCES[topic];
  const list = sentences[wanted];
  if (list && list.length > 0) return { lang: wanted, sentence: rng.pick(list) };
  return { lang: 'en', sentence: rng.pick(sentences.en ?? ['hello']) };
}

function otherUser(rng: Prng, users: UserDirectory, not: string): GenUser {
  for (;;) {
    const user = users.get(rng.int(0, USER_POOL_SIZE - 1));
    if (user.id !== not) return user;
  }
}

function addMedia(
  rng: Prng,
  time: number,
  authorName: string,
  postId: string,
  text: TextBuilder,
  media: Map<string, GenMedia>,
): string[] {
  const type = rng.weighted<GenMedia['type']>([
    ['photo', 80],
    ['video', 15],
    ['animated_gif', 5],
  ]);
  const count =
    type === 'photo'
      ? rng.weighted([
          [1, 70],
          [2, 15],
          [3, 8],
          [4, 7],
        ] as const)
      : 1;
  const keys: string[] = [];
  for (let i = 0; i < count; i++) {
    const prefix = type === 'photo' ? 3 : type === 'video' ? 7 : 16;
    const key = `${prefix}_${snowflake(time - rng.int(500, 5000), rng.int(0, 1023), i)}`;
    const [width, height] = rng.pick([
      [1200, 900],
      [1080, 1350],
      [1920, 1080],
      [750, 1334],
    ] as const);
    const slug = rng.base62(15);
    const item: GenMedia = { media_key: key, type, width, height };
    if (type === 'photo') {
      item.url = `https://pbs.twimg.com/media/${slug}.jpg`;
      if (rng.chance(0.3))
        item.alt_text = rng.pick([
          'A cat asleep on a laptop',
          'Latte art shaped like a heart ☕',
          'Night sky over the city',
        ]);
    } else {
      item.preview_image_url = `https://pbs.twimg.com/ext_tw_video_thumb/${key.slice(2)}/pu/img/${slug}.jpg`;
      item.variants = [
        {
          content_type: 'application/x-mpegURL',
          url: `https://video.twimg.com/ext_tw_video/${key.slice(2)}/pu/pl/${slug}.m3u8`,
        },
        {
          bit_rate: 832000,
          content_type: 'video/mp4',
          url: `https://video.twimg.com/ext_tw_video/${key.slice(2)}/pu/vid/640x360/${slug}.mp4`,
        },
      ];
      if (type === 'video') {
        item.duration_ms = rng.int(3_000, 140_000);
        item.public_metrics = { view_count: rng.int(0, 50) };
      }
    }
    media.set(key, item);
    keys.push(key);
  }
  const slug = rng.base62(10);
  const kind = type === 'photo' ? 'photo' : 'video';
  text.add(' ').url({
    url: `https://t.co/${slug}`,
    expanded_url: `https://x.com/${authorName}/status/${postId}/${kind}/1`,
    display_url: `pic.x.com/${slug}`,
    media_key: keys[0] as string,
  });
  return keys;
}

function addPlace(rng: Prng, places: Map<string, GenPlace>): string {
  const p = rng.pick(PLACES);
  places.set(p.id, {
    id: p.id,
    full_name: p.full_name,
    name: p.name,
    country: p.country,
    country_code: p.country_code,
    place_type: p.place_type,
    geo: { type: 'Feature', bbox: [...p.bbox], properties: {} },
  });
  return p.id;
}

function decorate(
  rng: Prng,
  topic: TopicName,
  lang: PostLanguage,
  text: TextBuilder,
  users: UserDirectory,
  authorId: string,
): void {
  const t = EMULATOR_TOPICS[topic];
  const tails = TAILS[lang];
  if (tails && rng.chance(0.25)) text.add(rng.chance(0.3) ? '\n\n' : '\n').add(rng.pick(tails));
  if (rng.chance(0.55)) {
    text.add(' ');
    const count = rng.int(1, 3);
    for (let i = 0; i < count; i++)
      text.add(rng.chance(0.7) ? rng.pick(t.emoji) : rng.pick(COMMON_EMOJI));
  }
  if (rng.chance(0.15)) {
    const u = otherUser(rng, users, authorId);
    text.add(rng.pick([' cc ', ' ', ' /', ' via ']));
    text.mention(u.username, u.id);
  }
  if (rng.chance(0.35)) {
    const count = rng.int(1, 2);
    text.add(rng.chance(0.3) ? '\n' : ' ');
    for (let i = 0; i < count; i++) {
      if (i > 0) text.add(' ');
      text.hashtag(rng.pick(t.hashtags));
    }
  }
  if (rng.chance(0.03)) text.add(' ').cashtag(rng.pick(['BTC', 'ETH', 'AAPL', 'NVDA']));
  if (rng.chance(0.12)) {
    const slug = rng.base62(10);
    const target = `${rng.pick(LINK_SITES)}${topic}-${rng.base62(6).toLowerCase()}`;
    text.add(' ').url({
      url: `https://t.co/${slug}`,
      expanded_url: target,
      display_url: target.replace(/^https:\/\//, '').slice(0, 26) + (target.length > 34 ? '…' : ''),
    });
  }
}

function baseTweet(
  rng: Prng,
  id: string,
  time: number,
  author: GenUser,
  lang: PostLanguage,
  built: { text: string; entities: GenTweet['entities'] },
  displayStart: number,
): GenTweet {
  const length = [...built.text].length;
  const tweet: GenTweet = {
    id,
    text: built.text,
    edit_history_tweet_ids: [id],
    author_id: author.id,
    created_at: isoSeconds(time),
    conversation_id: id,
    lang,
    source: rng.pick(SOURCES),
    possibly_sensitive: rng.chance(0.02),
    reply_settings: rng.weighted([
      ['everyone', 92],
      ['following', 4],
      ['mentionedUsers', 3],
      ['verified', 1],
    ]),
    public_metrics: {
      retweet_count: 0,
      reply_count: 0,
      like_count: rng.chance(0.2) ? rng.int(1, 3) : 0,
      quote_count: 0,
      bookmark_count: 0,
      impression_count: rng.int(0, 40),
    },
    edit_controls: {
      edits_remaining: 5,
      is_edit_eligible: true,
      editable_until: isoSeconds(time + 3_600_000),
    },
    display_text_range: [displayStart, length],
  };
  if (built.entities) tweet.entities = built.entities;
  return tweet;
}

interface Referenced {
  tweet: GenTweet;
  author: GenUser;
}

/** An older post that the new one retweets, quotes or replies to. */
function generateReferenced(
  ctx: GeneratorContext,
  index: number,
  time: number,
  topic: TopicName,
  not: string,
  world: PostWorld,
): Referenced {
  const rng = prngFor(ctx.seed, STREAM.reference, index);
  const author = otherUser(rng, ctx.users, not);
  const created = time - rng.int(60_000, 6 * 3_600_000);
  const id = snowflake(created, rng.int(0, 1023), index);
  const { lang, sentence } = pickLanguage(rng, topic);
  const text = new TextBuilder().add(sentence);
  decorate(rng, topic, lang, text, ctx.users, author.id);
  let mediaKeys: string[] | undefined;
  if (rng.chance(0.3)) mediaKeys = addMedia(rng, created, author.username, id, text, world.media);
  const tweet = baseTweet(rng, id, created, author, lang, text.build(), 0);
  tweet.public_metrics = {
    retweet_count: rng.int(0, 500),
    reply_count: rng.int(0, 80),
    like_count: rng.int(0, 3000),
    quote_count: rng.int(0, 40),
    bookmark_count: rng.int(0, 60),
    impression_count: rng.int(100, 90_000),
  };
  if (mediaKeys) tweet.attachments = { media_keys: mediaKeys };
  world.users.set(author.id, author);
  for (const m of tweet.entities?.mentions ?? [])
    world.users.set(m.id, ctx.users.get(userIndexOf(ctx, m.id)));
  return { tweet, author };
}

/** Mentioned users come from the pool; their pool index is found by id. */
const indexById = new WeakMap<UserDirectory, Map<string, number>>();
function userIndexOf(ctx: GeneratorContext, id: string): number {
  let map = indexById.get(ctx.users);
  if (!map) {
    map = new Map();
    for (let k = 0; k < USER_POOL_SIZE; k++) map.set(ctx.users.get(k).id, k);
    indexById.set(ctx.users, map);
  }
  return map.get(id) ?? 0;
}

function factsFor(
  world: PostWorld,
  author: GenUser,
  kind: Kind,
  replyTo: GenUser | undefined,
  retweeted: GenUser | undefined,
): MatchFacts {
  const t = world.tweet;
  const media = [...world.media.values()].filter((m) =>
    t.attachments?.media_keys?.includes(m.media_key),
  );
  const place = t.geo ? world.places.get(t.geo.place_id) : undefined;
  const urls = (t.entities?.urls ?? []).map((u) => u.expanded_url.toLowerCase());
  return {
    id: t.id,
    authorId: t.author_id,
    source: t.source,
    contexts: (t.context_annotations ?? []).map((c) => `${c.domain.id}.${c.entity.id}`),
    tokens: tokenize(t.text),
    lowerText: t.text.toLowerCase(),
    hashtags: new Set((t.entities?.hashtags ?? []).map((h) => h.tag.toLowerCase())),
    cashtags: new Set((t.entities?.cashtags ?? []).map((h) => h.tag.toLowerCase())),
    mentions: new Set((t.entities?.mentions ?? []).map((m) => m.username.toLowerCase())),
    from: author.username.toLowerCase(),
    to: replyTo?.username.toLowerCase(),
    retweetsOf: retweeted?.username.toLowerCase(),
    lang: t.lang,
    isRetweet: kind === 'retweet',
    isReply: kind === 'reply',
    isQuote: kind === 'quote',
    isVerified: author.verified,
    hasMedia: media.length > 0,
    hasImages: media.some((m) => m.type === 'photo'),
    hasVideo: media.some((m) => m.type !== 'photo'),
    hasLinks: urls.length > 0,
    hasGeo: t.geo !== undefined,
    urls,
    placeName: place?.full_name.toLowerCase(),
    placeCountry: place?.country_code.toLowerCase(),
    conversationId: t.conversation_id,
    bio: author.description.toLowerCase(),
    bioName: author.name.toLowerCase(),
    bioLocation: (author.location ?? '').toLowerCase(),
  };
}

/**
 * Post number `index` of the emulated timeline, created at `time`. Pure: the
 * same seed, index and time always give the same post, so the timeline can be
 * replayed (backfill) and several connections share it.
 */
export function generatePost(ctx: GeneratorContext, index: number, time: number): PostWorld {
  const rng = prngFor(ctx.seed, STREAM.post, index);
  const topic = rng.pick(TOPIC_NAMES);
  const author = ctx.users.get(pickUserIndex(rng));
  const id = snowflake(time, rng.int(0, 1023), index);
  const kind = rng.weighted<Kind>([
    ['original', 68],
    ['reply', 12],
    ['quote', 8],
    ['retweet', 12],
  ]);
  const world: PostWorld = {
    index,
    time,
    topic,
    language: 'en',
    tweet: undefined as unknown as GenTweet,
    referenced: [],
    users: new Map([[author.id, author]]),
    media: new Map(),
    polls: new Map(),
    places: new Map(),
    facts: undefined as unknown as MatchFacts,
  };
  const text = new TextBuilder();
  let ref: Referenced | undefined;
  let lang: PostLanguage;
  let displayStart = 0;

  if (kind === 'retweet') {
    ref = generateReferenced(ctx, index, time, topic, author.id, world);
    lang = ref.tweet.lang as PostLanguage;
    text
      .add('RT ')
      .mention(ref.author.username, ref.author.id)
      .add(': ')
      .embed(ref.tweet.text, ref.tweet.entities);
  } else {
    const picked = pickLanguage(rng, topic);
    lang = picked.lang;
    if (kind === 'reply') {
      ref = generateReferenced(ctx, index, time, topic, author.id, world);
      text.mention(ref.author.username, ref.author.id).add(' ');
      displayStart = text.position;
    }
    text.add(picked.sentence);
    decorate(rng, topic, lang, text, ctx.users, author.id);
    if (kind === 'quote') {
      ref = generateReferenced(ctx, index, time, topic, author.id, world);
      const slug = rng.base62(10);
      const target = `https://twitter.com/${ref.author.username}/status/${ref.tweet.id}`;
      text.add(' ').url({
        url: `https://t.co/${slug}`,
        expanded_url: target,
        display_url: `${target.slice(8, 30)}…`,
      });
    }
  }
  world.language = lang;

  const mediaKeys =
    kind !== 'retweet' && rng.chance(0.18)
      ? addMedia(rng, time, author.username, id, text, world.media)
      : undefined;
  let pollId: string | undefined;
  if (kind === 'original' && !mediaKeys && rng.chance(0.03)) {
    const [question, options] = rng.pick(POLLS);
    pollId = snowflake(time - 1, rng.int(0, 1023), index);
    const minutes = rng.pick([60, 1440, 4320, 10080]);
    const poll: GenPoll = {
      id: pollId,
      options: options.map((label, i) => ({ position: i + 1, label, votes: 0 })),
      duration_minutes: minutes,
      end_datetime: isoSeconds(time + minutes * 60_000),
      voting_status: 'open',
    };
    world.polls.set(pollId, poll);
    text.add(text.position > 0 ? '\n\n' : '').add(question);
  }

  const tweet = baseTweet(rng, id, time, author, lang, text.build(), displayStart);
  if (mediaKeys || pollId)
    tweet.attachments = {
      ...(mediaKeys && { media_keys: mediaKeys }),
      ...(pollId && { poll_ids: [pollId] }),
    };
  if (kind !== 'retweet' && rng.chance(0.07)) tweet.geo = { place_id: addPlace(rng, world.places) };
  if (rng.chance(0.6)) {
    const [domainId, domainName, entityId, entityName] = CONTEXT[topic];
    tweet.context_annotations = [
      { domain: { id: domainId, name: domainName }, entity: { id: entityId, name: entityName } },
    ];
  }
  if (ref) {
    const type = kind === 'retweet' ? 'retweeted' : kind === 'quote' ? 'quoted' : 'replied_to';
    tweet.referenced_tweets = [{ type, id: ref.tweet.id }];
    world.referenced.push(ref.tweet);
    if (kind === 'reply') {
      tweet.in_reply_to_user_id = ref.author.id;
      tweet.conversation_id = ref.tweet.conversation_id;
    }
    if (kind === 'retweet') tweet.edit_controls.is_edit_eligible = false;
  }
  if (kind === 'original' && !pollId && rng.chance(0.02)) {
    // An edited post: X sends the new version with a new id; the history lists the first one.
    const firstId = snowflake(time - rng.int(60_000, 1_800_000), rng.int(0, 1023), index);
    tweet.edit_history_tweet_ids = [firstId, id];
    tweet.edit_controls.edits_remaining = 4;
    world.referenced.push({
      ...tweet,
      id: firstId,
      edit_history_tweet_ids: [firstId],
      text: tweet.text.replace(/\s+\S+$/, ''),
      created_at: isoSeconds(snowflakeTimeOf(firstId)),
      entities: undefined,
      edit_controls: { ...tweet.edit_controls, edits_remaining: 5 },
    });
  }
  for (const m of tweet.entities?.mentions ?? []) {
    if (!world.users.has(m.id)) world.users.set(m.id, ctx.users.get(userIndexOf(ctx, m.id)));
  }
  world.tweet = tweet;
  world.facts = factsFor(
    world,
    author,
    kind,
    kind === 'reply' ? ref?.author : undefined,
    kind === 'retweet' ? ref?.author : undefined,
  );
  return world;
}
