// @ts-check
/**
 * The benchmark corpus: `count` filtered-stream messages shaped like X's
 * (a post with entities, metrics, context annotations, an author and
 * sometimes media and a quoted post in `includes`, matching rules), about
 * 2.9 KB each as compact JSON, with multibyte text (accents, CJK, Greek,
 * Arabic, emoji as surrogate pairs) and `\n` inside post text and profile
 * descriptions, 19-digit snowflake ids, and keep-alives (`\r\n`) between
 * some messages. Deterministic from the seed.
 */
import { FIRST_ID, ID_STRIDE, idForIndex, postDigest } from './digest.mjs';
import { pick, randomInt, seededRandom } from './random.mjs';

const WORDS = [
  'stream',
  'update',
  'launch',
  'today',
  'coffee',
  'weather',
  'match',
  'goal',
  'release',
  'thread',
  'morning',
  'night',
  'music',
  'concert',
  'ticket',
  'price',
  'market',
  'rain',
  'café',
  'naïve',
  'façade',
  'jalapeño',
  'Zürich',
  'São Paulo',
  'Ελληνικά',
  'καλημέρα',
  '日本語',
  'こんにちは',
  '東京',
  '新しい',
  '中文',
  '你好',
  '한국어',
  '안녕하세요',
  'مرحبا',
  'شكرا',
  'привет',
  'спасибо',
  '🐦',
  '🔥',
  '🎉',
  '❤️',
  '👍🏽',
  '🇧🇷',
  '🤖',
  '✓',
];
const HASHTAGS = ['AI', 'WorldCup', 'Tokyo2026', 'café', 'データ', 'OpenSource', 'News'];
const LANGS = ['en', 'ja', 'pt', 'es', 'el', 'ar', 'ru', 'ko', 'fr', 'de'];
const SOURCES = ['Twitter for iPhone', 'Twitter for Android', 'Twitter Web App', 'TweetDeck'];
const DOMAINS = [
  ['45', 'Brand Vertical', 'Top level entities that describe a Brands industry'],
  [
    '46',
    'Brand Category',
    'Categories within Brand Verticals that narrow down the scope of Brands',
  ],
  ['47', 'Brand', 'Brands and Companies'],
  ['66', 'Interests and Hobbies Category', 'A grouping of interests and hobbies entities'],
  ['131', 'Unified Twitter Taxonomy', 'A taxonomy view into the Semantic Core knowledge graph'],
];
const NAMES = ['Klara Andrea Barnes', 'José Álvarez', '山田 太郎', 'Ελένη Π.', 'Ahmed 🌙', 'dev ✓'];

/**
 * @param {() => number} random
 * @param {number} minChars
 * @param {number} maxChars
 */
function sentence(random, minChars, maxChars) {
  const target = randomInt(random, minChars, maxChars);
  let text = '';
  while (text.length < target) {
    const roll = random();
    if (text && roll < 0.06) text += '\n';
    else if (text && roll < 0.08) text += '\n\n';
    else if (text) text += ' ';
    text += pick(random, WORDS);
  }
  return text;
}

/**
 * @param {() => number} random
 * @param {string} id
 * @param {string} username
 * @param {string} name
 */
function user(random, id, username, name) {
  const description = `${sentence(random, 80, 170)} https://t.co/${username.slice(0, 10)}`;
  return {
    id,
    name,
    username,
    created_at: `20${randomInt(random, 10, 22)}-0${randomInt(random, 1, 9)}-1${randomInt(random, 0, 9)}T06:38:15.000Z`,
    description,
    location: pick(random, ['Huntsville Alabama', 'São Paulo, Brasil', '東京', 'Αθήνα', '']),
    profile_image_url: `https://pbs.twimg.com/profile_images/${randomInt(random, 1e9, 2e9)}/K0eJYAKd_normal.jpg`,
    protected: false,
    verified: random() < 0.1,
    url: `https://t.co/${username.slice(0, 10)}`,
    entities: {
      url: {
        urls: [
          {
            start: 0,
            end: 23,
            url: `https://t.co/${username.slice(0, 10)}`,
            expanded_url: `https://www.example.com/${username}`,
            display_url: `example.com/${username}`,
          },
        ],
      },
    },
    public_metrics: {
      followers_count: randomInt(random, 0, 2e6),
      following_count: randomInt(random, 0, 5e3),
      tweet_count: randomInt(random, 0, 2e5),
      listed_count: randomInt(random, 0, 900),
    },
  };
}

/**
 * One message object (before serialisation).
 * @param {() => number} random
 * @param {number} index
 */
function message(random, index) {
  const id = idForIndex(index, randomInt(random, 0, (1 << 22) - 1));
  const authorId = String(randomInt(random, 1e8, 9e8) * 1e6 + randomInt(random, 0, 999999));
  const username = `user_${authorId.slice(-8)}`;
  const tag = pick(random, HASHTAGS);
  const mentionedName = `friend${randomInt(random, 1, 999)}`;
  const body = sentence(random, 40, 230);
  const text = `@${mentionedName} ${body} #${tag} https://t.co/QHp3Dk7OeK`;
  const created = new Date(Date.UTC(2021, 3, 1, 15) + index * 37).toISOString();
  const withMedia = random() < 0.4;
  const withQuote = random() < 0.3;
  const mediaKey = `3_${(FIRST_ID + BigInt(index) * ID_STRIDE + 17n).toString()}`;
  const quotedId = idForIndex(Math.max(0, index - randomInt(random, 1, 50)), 99);

  /** @type {Record<string, unknown>} */
  const data = {
    id,
    text,
    author_id: authorId,
    conversation_id: id,
    created_at: created,
    lang: pick(random, LANGS),
    source: pick(random, SOURCES),
    possibly_sensitive: false,
    reply_settings: 'everyone',
    edit_history_tweet_ids: [id],
    edit_controls: {
      edits_remaining: 5,
      is_edit_eligible: true,
      editable_until: new Date(Date.UTC(2021, 3, 1, 16) + index * 37).toISOString(),
    },
    entities: {
      mentions: [
        {
          start: 0,
          end: mentionedName.length + 1,
          username: mentionedName,
          id: String(randomInt(random, 1e6, 9e6)),
        },
      ],
      hashtags: [{ start: text.length - 32 - tag.length, end: text.length - 31, tag }],
      urls: [
        {
          start: text.length - 23,
          end: text.length,
          url: 'https://t.co/QHp3Dk7OeK',
          expanded_url: `https://www.instagram.com/p/CNIQbqSrZRL/?igshid=${index.toString(36)}`,
          display_url: 'instagram.com/p/CNIQbqSrZRL/…',
          status: 200,
          title: sentence(random, 40, 100),
          unwound_url: `https://www.instagram.com/p/CNIQbqSrZRL/?igshid=${index.toString(36)}`,
        },
      ],
    },
    context_annotations: DOMAINS.slice(0, randomInt(random, 1, 4)).map(
      ([domainId, name, description]) => ({
        domain: { id: String(domainId), name: String(name), description: String(description) },
        entity: { id: String(randomInt(random, 1e17, 9e17)), name: pick(random, WORDS) },
      }),
    ),
    public_metrics: {
      retweet_count: randomInt(random, 0, 500),
      reply_count: randomInt(random, 0, 50),
      like_count: randomInt(random, 0, 5000),
      quote_count: randomInt(random, 0, 20),
      bookmark_count: randomInt(random, 0, 20),
      impression_count: randomInt(random, 0, 1e6),
    },
  };
  /** @type {Record<string, unknown[]>} */
  const includes = { users: [user(random, authorId, username, pick(random, NAMES))] };
  if (withMedia) {
    data.attachments = { media_keys: [mediaKey] };
    includes.media = [
      {
        media_key: mediaKey,
        type: 'photo',
        url: `https://pbs.twimg.com/media/${index.toString(36)}.jpg`,
        width: 1080,
        height: 1350,
        alt_text: sentence(random, 10, 60),
      },
    ];
  }
  if (withQuote) {
    data.referenced_tweets = [{ type: 'quoted', id: quotedId }];
    includes.tweets = [
      {
        id: quotedId,
        text: sentence(random, 30, 200),
        author_id: authorId,
        created_at: created,
        edit_history_tweet_ids: [quotedId],
      },
    ];
  }
  return {
    data,
    includes,
    matching_rules: [
      { id: String(1377649934414049282n + BigInt(index % 7)), tag: `rule ${index % 7} ✓` },
    ],
  };
}

/**
 * The query every consumer sends (values the corpus carries), so that a
 * consumer which types or validates by the request sees what it asked for.
 */
export const REQUEST_PARAMS = /** @type {const} */ ({
  expansions: ['author_id', 'attachments.media_keys', 'referenced_tweets.id'],
  'tweet.fields': [
    'author_id',
    'conversation_id',
    'created_at',
    'lang',
    'source',
    'possibly_sensitive',
    'reply_settings',
    'edit_controls',
    'entities',
    'context_annotations',
    'public_metrics',
    'attachments',
    'referenced_tweets',
  ],
  'user.fields': [
    'created_at',
    'description',
    'location',
    'profile_image_url',
    'protected',
    'verified',
    'url',
    'entities',
    'public_metrics',
  ],
  'media.fields': ['url', 'width', 'height', 'alt_text'],
});

/**
 * @typedef {object} Corpus
 * @property {Buffer} body every message framed with `\r\n`, keep-alives included,
 *   then the end marker
 * @property {Uint32Array} messageEnds byte offset just after each message's
 *   `\r\n` (`count + 1` entries: the last is the end marker's)
 * @property {Uint32Array} digests expected {@link postDigest} per index
 * @property {number} count
 * @property {number} keepAlives
 */

/**
 * Builds the corpus for `count` messages from `seed`, followed by an end
 * marker: one more post, index `count`, with ASCII text, which tells a
 * consumer that lost posts that the stream has nothing more to give (X's
 * stream never ends, so the body cannot say so).
 * @param {number} count
 * @param {number} seed
 * @returns {Corpus}
 */
export function buildCorpus(count, seed) {
  const random = seededRandom(seed);
  const digests = new Uint32Array(count);
  const messageEnds = new Uint32Array(count + 1);
  /** @type {Buffer[]} */
  const parts = [];
  let offset = 0;
  let keepAlives = 0;
  const crlf = Buffer.from('\r\n');
  for (let i = 0; i <= count; i++) {
    const msg = message(random, i);
    const data = /** @type {{ id: string, text: string }} */ (msg.data);
    if (i === count) data.text = 'end of the benchmark corpus';
    else digests[i] = postDigest(data.id, data.text);
    const line = Buffer.from(`${JSON.stringify(msg)}\r\n`);
    parts.push(line);
    offset += line.length;
    messageEnds[i] = offset;
    // Keep-alives between some messages (X sends them on quiet streams).
    if (i < count && random() < 0.02) {
      const n = randomInt(random, 1, 3);
      for (let k = 0; k < n; k++) parts.push(crlf);
      offset += 2 * n;
      keepAlives += n;
    }
  }
  return { body: Buffer.concat(parts, offset), messageEnds, digests, count, keepAlives };
}
