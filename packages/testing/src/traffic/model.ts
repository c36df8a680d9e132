import type { PostLanguage, TopicName } from './corpus.js';

/**
 * Internal, fully populated objects. The stream renders them down to the
 * fields a connection asked for. Keys use X's wire names.
 */

export interface GenEntityUrl {
  start: number;
  end: number;
  url: string;
  expanded_url: string;
  display_url: string;
  media_key?: string;
}

export interface GenEntities {
  hashtags?: { start: number; end: number; tag: string }[];
  cashtags?: { start: number; end: number; tag: string }[];
  mentions?: { start: number; end: number; username: string; id: string }[];
  urls?: GenEntityUrl[];
}

export interface GenTweet {
  id: string;
  text: string;
  edit_history_tweet_ids: string[];
  author_id: string;
  created_at: string;
  conversation_id: string;
  lang: string;
  source: string;
  possibly_sensitive: boolean;
  reply_settings: string;
  public_metrics: {
    retweet_count: number;
    reply_count: number;
    like_count: number;
    quote_count: number;
    bookmark_count: number;
    impression_count: number;
  };
  edit_controls: { edits_remaining: number; is_edit_eligible: boolean; editable_until: string };
  display_text_range: [number, number];
  entities?: GenEntities;
  context_annotations?: {
    domain: { id: string; name: string };
    entity: { id: string; name: string };
  }[];
  attachments?: { media_keys?: string[]; poll_ids?: string[] };
  geo?: { place_id: string };
  referenced_tweets?: { type: 'retweeted' | 'quoted' | 'replied_to'; id: string }[];
  in_reply_to_user_id?: string;
}

export interface GenUser {
  id: string;
  name: string;
  username: string;
  created_at: string;
  description: string;
  location?: string;
  url: string;
  profile_image_url: string;
  protected: boolean;
  verified: boolean;
  verified_type: 'blue' | 'business' | 'government' | 'none';
  public_metrics: {
    followers_count: number;
    following_count: number;
    tweet_count: number;
    listed_count: number;
    like_count: number;
  };
  pinned_tweet_id?: string;
}

export interface GenMedia {
  media_key: string;
  type: 'photo' | 'video' | 'animated_gif';
  width: number;
  height: number;
  url?: string;
  alt_text?: string;
  preview_image_url?: string;
  duration_ms?: number;
  public_metrics?: { view_count: number };
  variants?: { bit_rate?: number; content_type: string; url: string }[];
}

export interface GenPoll {
  id: string;
  options: { position: number; label: string; votes: number }[];
  duration_minutes: number;
  end_datetime: string;
  voting_status: 'open' | 'closed';
}

export interface GenPlace {
  id: string;
  full_name: string;
  name: string;
  country: string;
  country_code: string;
  place_type: string;
  geo: { type: 'Feature'; bbox: number[]; properties: Record<string, never> };
}

/** What rules match against (precomputed once per post). */
export interface MatchFacts {
  id: string;
  authorId: string;
  source: string;
  /** `domainId.entityId` of the context annotations. */
  contexts: string[];
  /** Lowercased tokens of the text (retweets: including the retweeted text). */
  tokens: string[];
  /** The lowercased text, for substring matching of scripts without spaces (CJK). */
  lowerText: string;
  hashtags: Set<string>;
  cashtags: Set<string>;
  mentions: Set<string>;
  from: string;
  to: string | undefined;
  retweetsOf: string | undefined;
  lang: string;
  isRetweet: boolean;
  isReply: boolean;
  isQuote: boolean;
  isVerified: boolean;
  hasMedia: boolean;
  hasImages: boolean;
  hasVideo: boolean;
  hasLinks: boolean;
  hasGeo: boolean;
  urls: string[];
  placeName: string | undefined;
  placeCountry: string | undefined;
  conversationId: string;
  bio: string;
  bioName: string;
  bioLocation: string;
}

/** One generated post and every object it references. */
export interface PostWorld {
  /** Position on the emulated timeline. */
  index: number;
  /** Emulated epoch ms at which the post was created. */
  time: number;
  topic: TopicName;
  language: PostLanguage;
  tweet: GenTweet;
  /** Posts referenced by `tweet` (retweeted, quoted, replied to, earlier versions). */
  referenced: GenTweet[];
  users: Map<string, GenUser>;
  media: Map<string, GenMedia>;
  polls: Map<string, GenPoll>;
  places: Map<string, GenPlace>;
  facts: MatchFacts;
}
