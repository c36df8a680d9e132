import {
  type ArgumentCheck,
  boundingBox,
  contextPair,
  countRange,
  countryCode,
  integerIn,
  language,
  nonEmpty,
  pointRadius,
  postId,
  threshold,
  username,
} from './arguments.js';
import type { RuleTier } from './tiers.js';

/**
 * - `standalone`: can make up a rule on its own (`#xapiv2`, `from:XDevelopers`).
 * - `conjunction-required`: only valid next to a standalone term (`has:media`).
 * - `unspecified`: X's operator table does not say; treated as standalone, with a warning
 *   when nothing else in the rule is standalone.
 */
export type OperatorKind = 'standalone' | 'conjunction-required' | 'unspecified';

/** Whether the operator may, must or must not be negated with `-`. */
export type OperatorNegation = 'allowed' | 'never' | 'required';

/** One filtered-stream operator (spec §3.6). */
export interface OperatorSpec {
  /** As written in a rule: `from:`, `is:retweet`, `#`. */
  readonly name: string;
  /** `value`: `name:value`; `flag`: fixed text such as `has:media`; `prefix`: `#tag`, `@user`, `$tag`. */
  readonly syntax: 'value' | 'flag' | 'prefix';
  readonly kind: OperatorKind;
  readonly negation: OperatorNegation;
  /** What it matches. */
  readonly summary: string;
  /** A valid rule using it. */
  readonly example: string;
  /** Only these access levels may use it (unset: every level). */
  readonly tiers?: readonly RuleTier[];
  /** Checks the value of a `value` operator. */
  readonly check?: ArgumentCheck;
}

function value(
  name: string,
  kind: OperatorKind,
  summary: string,
  example: string,
  check: ArgumentCheck = nonEmpty(`${name}:`),
  extra: Partial<OperatorSpec> = {},
): OperatorSpec {
  return {
    name: `${name}:`,
    syntax: 'value',
    kind,
    negation: 'allowed',
    summary,
    example,
    check,
    ...extra,
  };
}

function flag(
  name: string,
  summary: string,
  example: string,
  extra: Partial<OperatorSpec> = {},
): OperatorSpec {
  return {
    name,
    syntax: 'flag',
    kind: 'conjunction-required',
    negation: 'allowed',
    summary,
    example,
    ...extra,
  };
}

function prefix(name: string, summary: string, example: string): OperatorSpec {
  return { name, syntax: 'prefix', kind: 'standalone', negation: 'allowed', summary, example };
}

/**
 * Every operator X documents for filtered stream rules (spec §3.6), with
 * whether it can stand alone, whether it can be negated and how its value is
 * checked. Keywords, emoji, `"exact phrases"` and `"proximity"~N` are
 * standalone too but have no name, so they are not listed.
 */
export const OPERATORS: readonly OperatorSpec[] = [
  prefix('#', 'Posts with this hashtag (exact match)', '#thankunext #fanart'),
  prefix('@', 'Posts mentioning this username', '(@XDevelopers OR @api) -@x'),
  prefix('$', 'Posts with this cashtag', '$twtr OR @XDevelopers -$fb'),
  value(
    'from',
    'standalone',
    'Posts from this user',
    'from:XDevelopers OR from:api',
    username('from:'),
  ),
  value('to', 'standalone', 'Replies to this user', 'to:XDevelopers OR to:api', username('to:')),
  value(
    'retweets_of',
    'standalone',
    'Retweets of this user',
    'retweets_of:XDevelopers',
    username('retweets_of:'),
  ),
  value(
    'from_affiliate_of',
    'standalone',
    'Posts from affiliates of this user',
    'from_affiliate_of:XDevelopers',
    username('from_affiliate_of:'),
  ),
  value(
    'to_affiliate_of',
    'standalone',
    'Replies to affiliates of this user',
    'to_affiliate_of:XDevelopers',
    username('to_affiliate_of:'),
  ),
  value(
    'url',
    'standalone',
    'Tokenized match on a URL (url or expanded_url)',
    'url:"https://developer.x.com"',
  ),
  value('url_title', 'unspecified', 'Keyword match on the linked page title', 'url_title:snow'),
  value(
    'url_description',
    'unspecified',
    'Keyword match on the linked page description',
    'url_description:weather',
  ),
  value('url_contains', 'unspecified', 'Literal match on the URL', 'url_contains:photos'),
  value(
    'context',
    'standalone',
    'Posts with this annotation domain.entity (entity may be *)',
    'context:10.799022225751871488',
    contextPair,
  ),
  value('entity', 'standalone', 'Posts with this entity string', 'entity:"Michael Jordan"'),
  value(
    'conversation_id',
    'standalone',
    'Posts in this conversation',
    'conversation_id:1334987486343299072',
    postId('conversation_id:'),
  ),
  value('bio', 'standalone', "Keyword in the author's bio", 'bio:developer OR bio:"data engineer"'),
  value('bio_name', 'standalone', "Keyword in the author's name", 'bio_name:phd OR bio_name:md'),
  value(
    'bio_location',
    'standalone',
    "Keyword in the author's location",
    'bio_location:"big apple"',
  ),
  value(
    'place',
    'standalone',
    'Posts tagged with this place',
    'place:"new york city" OR place:seattle',
  ),
  value(
    'place_country',
    'standalone',
    'Posts tagged with a place in this country',
    'place_country:US',
    countryCode,
  ),
  value(
    'point_radius',
    'standalone',
    'Posts within a radius (under 25 miles) of a point',
    'point_radius:[2.355128 48.861118 16km]',
    pointRadius,
  ),
  value(
    'bounding_box',
    'standalone',
    'Posts within a box (sides under 25 miles)',
    'bounding_box:[-105.301758 39.964069 -105.178505 40.09455]',
    boundingBox,
  ),
  value(
    'embedding',
    'standalone',
    'Posts semantically close to this text',
    'embedding:"electric cars"',
    nonEmpty('embedding:'),
    {
      negation: 'never',
      tiers: ['enterprise'],
    },
  ),
  value(
    'embedding_threshold',
    'conjunction-required',
    'Similarity threshold for embedding: (default 0.3)',
    'embedding:"electric cars" embedding_threshold:0.5',
    threshold,
    { tiers: ['enterprise'] },
  ),
  flag('is:retweet', 'Retweets', 'data @XDevelopers -is:retweet'),
  flag('is:reply', 'Replies', 'from:XDevelopers is:reply'),
  flag('is:quote', 'Quote posts', '"sentiment analysis" is:quote'),
  flag('is:verified', 'Posts from verified authors', '#nowplaying is:verified'),
  flag('is:nullcast', 'Promoted-only posts; only valid negated', '"mobile games" -is:nullcast', {
    negation: 'required',
  }),
  flag('has:hashtags', 'Posts with hashtags', 'from:XDevelopers -has:hashtags'),
  flag('has:cashtags', 'Posts with cashtags', '#stonks has:cashtags'),
  flag('has:links', 'Posts with links', 'from:XDevelopers has:links'),
  flag('has:mentions', 'Posts with mentions', '#nowplaying has:mentions'),
  flag('has:media', 'Posts with media (photo, GIF, video)', '(kittens OR puppies) has:media'),
  flag('has:images', 'Posts with images', '#meme has:images'),
  flag('has:video_link', 'Posts with native videos', '#icebucketchallenge has:video_link'),
  flag('has:geo', 'Posts with geolocation data', 'recommend #paris has:geo'),
  value(
    'sample',
    'conjunction-required',
    'A random percent sample (1–100) of matches',
    '#nowplaying @spotify sample:15',
    integerIn('sample:', 1, 100),
    {
      negation: 'never',
    },
  ),
  value(
    'lang',
    'conjunction-required',
    'Posts X classified in this language',
    'recommend #paris lang:en',
    language,
  ),
  value(
    'min_followers',
    'unspecified',
    'Authors with at least this many followers',
    'min_followers:1000',
    integerIn('min_followers:', 0, Number.MAX_SAFE_INTEGER),
  ),
  value(
    'followers_count',
    'unspecified',
    'Authors with a follower count in range',
    'followers_count:1000..10000',
    countRange('followers_count:'),
  ),
  value(
    'tweets_count',
    'unspecified',
    'Authors with a post count in range',
    'tweets_count:1000..10000',
    countRange('tweets_count:'),
  ),
  value(
    'following_count',
    'unspecified',
    'Authors following a count in range',
    'following_count:1000..10000',
    countRange('following_count:'),
  ),
  value(
    'listed_count',
    'unspecified',
    'Authors listed a count in range',
    'listed_count:10..100',
    countRange('listed_count:'),
  ),
  value(
    'in_reply_to_tweet_id',
    'unspecified',
    'Replies to this post',
    'in_reply_to_tweet_id:1539382664746020864',
    postId('in_reply_to_tweet_id:'),
  ),
  value(
    'retweets_of_tweet_id',
    'unspecified',
    'Retweets of this post',
    'retweets_of_tweet_id:1539382664746020864',
    postId('retweets_of_tweet_id:'),
  ),
  value('source', 'unspecified', 'Posts from this source application', 'source:"X for iPhone"'),
];

const BY_NAME = new Map(OPERATORS.map((spec) => [spec.name.toLowerCase(), spec]));

/**
 * Finds an operator by how it is written: `from:` (or `from`), `is:retweet`, `#`.
 * Case-insensitive.
 */
export function findOperator(name: string): OperatorSpec | undefined {
  const key = name.toLowerCase();
  return BY_NAME.get(key) ?? BY_NAME.get(`${key}:`);
}
