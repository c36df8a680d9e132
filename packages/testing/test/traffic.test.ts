import { afterEach, describe, expect, it } from 'vitest';
import { EMULATOR_TOPICS, type Emulator, startEmulator } from '../src/index.js';
import { fieldSelection } from '../src/traffic/field-selection.js';
import type { PostWorld } from '../src/traffic/model.js';
import { PostSource } from '../src/traffic/post-source.js';
import { renderMessage } from '../src/traffic/render.js';
import { snowflakeTime } from '../src/traffic/snowflake.js';
import { Timeline } from '../src/traffic/timeline.js';
import { rawRequest, SAMPLE } from './helpers/raw-stream.js';

const START = Date.UTC(2026, 2, 1, 12);
const running: Emulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()));
});

function source(seed = 5, rate = 50): PostSource {
  return new PostSource(seed, new Timeline(seed, START, rate));
}

function posts(count: number, seed = 5): PostWorld[] {
  const s = source(seed);
  return Array.from({ length: count }, (_, i) => s.get(i).world);
}

const FULL = fieldSelection({
  expansions: [
    'author_id',
    'entities.mentions.username',
    'in_reply_to_user_id',
    'referenced_tweets.id',
    'referenced_tweets.id.author_id',
    'referenced_tweets.id.attachments.media_keys',
    'attachments.media_keys',
    'attachments.poll_ids',
    'geo.place_id',
    'edit_history_tweet_ids',
  ],
  tweet: ['created_at', 'lang', 'public_metrics', 'entities', 'conversation_id'],
  user: ['created_at', 'description', 'public_metrics', 'verified'],
  media: ['url', 'width', 'height', 'preview_image_url', 'duration_ms', 'variants'],
  place: ['country', 'country_code', 'geo', 'name', 'place_type'],
  poll: ['duration_minutes', 'end_datetime', 'voting_status'],
});

describe('generated posts', () => {
  it('are the same for the same seed and start time, and differ for another seed', () => {
    const a = posts(200, 5).map((w) => JSON.stringify(renderMessage(w, FULL)));
    const b = posts(200, 5).map((w) => JSON.stringify(renderMessage(w, FULL)));
    const c = posts(200, 6).map((w) => JSON.stringify(renderMessage(w, FULL)));
    expect(a).toEqual(b);
    expect(c.filter((m, i) => m === a[i])).toEqual([]);
  });

  it('are byte-identical over the wire for the same seed and startTime', async () => {
    const read = async () => {
      const emu = await startEmulator({
        seed: 'replay',
        startTime: START,
        rate: 10,
        timeScale: 20,
      });
      running.push(emu);
      // The backfill window reaches back to the first post of the timeline as long as the
      // connection comes within 5 emulated minutes (15 real seconds at ×20: generous on a busy
      // machine), so both reads start at the same post.
      const res = await rawRequest(emu.url, `${SAMPLE}?backfill_minutes=5`);
      await res.until(() => res.messages().length >= 30);
      res.close();
      return res.lines().filter((l) => l !== '');
    };
    const first = await read();
    const second = await read();
    const common = Math.min(first.length, second.length);
    expect(common).toBeGreaterThanOrEqual(30);
    expect(second.slice(0, common)).toEqual(first.slice(0, common));
  });

  it('have 19-digit snowflake ids that follow the emulated timeline', () => {
    const timeline = new Timeline(5, START, 50);
    const list = posts(500);
    let previous = 0n;
    for (const [i, w] of list.entries()) {
      expect(w.tweet.id).toMatch(/^\d{19}$/);
      expect(BigInt(w.tweet.id)).toBeGreaterThan(previous);
      previous = BigInt(w.tweet.id);
      expect(snowflakeTime(w.tweet.id)).toBe(Math.floor(timeline.timeOf(i)));
      expect(w.tweet.created_at).toBe(
        new Date(Math.floor(timeline.timeOf(i) / 1000) * 1000).toISOString(),
      );
      expect(w.tweet.edit_history_tweet_ids.at(-1)).toBe(w.tweet.id);
    }
    expect(new Set(list.map((w) => w.tweet.id)).size).toBe(500);
  });

  it('arrive at the configured rate of emulated time', () => {
    const timeline = new Timeline(5, START, 200);
    expect(timeline.firstAtOrAfter(START + 60_000)).toBeGreaterThanOrEqual(11_999);
    expect(timeline.firstAtOrAfter(START + 60_000)).toBeLessThanOrEqual(12_001);
    for (const n of [0, 17, 12_000]) {
      expect(timeline.firstAtOrAfter(timeline.timeOf(n))).toBe(n);
      expect(timeline.firstAtOrAfter(timeline.timeOf(n) + 0.001)).toBe(n + 1);
    }
  });

  it('mix languages and scripts: emoji (4-byte, ZWJ, flags), CJK, Hangul, accents, Arabic, line breaks', () => {
    const texts = posts(1500).map((w) => w.tweet.text);
    const all = texts.join('\u0000');
    expect(all).toMatch(/[\u{1F300}-\u{1FAFF}]/u);
    expect(all).toMatch(/\u200d/u);
    expect(all).toMatch(/[\u{1F1E6}-\u{1F1FF}]{2}/u);
    expect(all).toMatch(/[\u4e00-\u9fff]/);
    expect(all).toMatch(/[\uac00-\ud7af]/);
    expect(all).toMatch(/[\u0600-\u06ff]/);
    expect(all).toMatch(/[éñçüß]/);
    expect(texts.filter((t) => t.includes('\n')).length).toBeGreaterThan(100);
    const langs = new Set(posts(1500).map((w) => w.tweet.lang));
    expect([...langs].sort()).toEqual(['ar', 'de', 'en', 'es', 'fr', 'ja', 'ko', 'pt']);
  });

  it('index entities in code points, as X does', () => {
    let checked = 0;
    for (const w of posts(800)) {
      const chars = [...w.tweet.text];
      const at = (e: { start: number; end: number }) => chars.slice(e.start, e.end).join('');
      for (const h of w.tweet.entities?.hashtags ?? []) expect(at(h)).toBe(`#${h.tag}`);
      for (const m of w.tweet.entities?.mentions ?? []) expect(at(m)).toBe(`@${m.username}`);
      for (const c of w.tweet.entities?.cashtags ?? []) expect(at(c)).toBe(`$${c.tag}`);
      for (const u of w.tweet.entities?.urls ?? []) expect(at(u)).toBe(u.url);
      checked +=
        (w.tweet.entities?.hashtags?.length ?? 0) + (w.tweet.entities?.mentions?.length ?? 0);
    }
    expect(checked).toBeGreaterThan(200);
  });

  it('only use the topics words that EMULATOR_TOPICS documents', () => {
    const list = posts(400);
    for (const topic of Object.keys(EMULATOR_TOPICS) as (keyof typeof EMULATOR_TOPICS)[]) {
      const about = list.filter((w) => w.topic === topic);
      expect(about.length).toBeGreaterThan(20);
      const words = EMULATOR_TOPICS[topic].keywords;
      // Most posts of a topic contain one of its keywords (retweets and replies too).
      const hits = about.filter((w) => words.some((k) => w.tweet.text.toLowerCase().includes(k)));
      expect(hits.length / about.length).toBeGreaterThan(0.6);
    }
  });
});

describe('rendering for a connection', () => {
  it('sends only id, text and edit_history_tweet_ids when no fields are requested', () => {
    for (const w of posts(100)) {
      const message = renderMessage(w, fieldSelection({}));
      expect(Object.keys(message.data).sort()).toEqual(['edit_history_tweet_ids', 'id', 'text']);
      expect(message).not.toHaveProperty('includes');
    }
  });

  it('adds the field an expansion needs, even when tweet.fields does not name it', () => {
    const selection = fieldSelection({
      expansions: ['author_id', 'attachments.poll_ids', 'geo.place_id'],
    });
    const withPoll = posts(1500).find((w) => w.tweet.attachments?.poll_ids) as PostWorld;
    const message = renderMessage(withPoll, selection);
    expect(message.data).toHaveProperty('author_id', withPoll.tweet.author_id);
    expect(message.data).toHaveProperty('attachments');
    expect(message.includes?.polls?.[0]).toEqual({
      id: withPoll.tweet.attachments?.poll_ids?.[0],
      options: expect.any(Array),
    });
    expect(message.includes?.users?.map((u) => Object.keys(u).sort())).toEqual([
      ['id', 'name', 'username'],
    ]);
  });

  it('fills includes for every requested expansion, consistently with the post', () => {
    const seen = { users: 0, tweets: 0, media: 0, polls: 0, places: 0 };
    for (const w of posts(1500)) {
      const m = renderMessage(w, FULL);
      const data = m.data as Record<string, never> & {
        author_id: string;
        referenced_tweets?: { id: string }[];
        attachments?: { media_keys?: string[]; poll_ids?: string[] };
        geo?: { place_id: string };
        entities?: { mentions?: { id: string }[] };
        in_reply_to_user_id?: string;
      };
      const users = new Set((m.includes?.users ?? []).map((u) => u.id as string));
      const tweets = (m.includes?.tweets ?? []) as {
        id: string;
        author_id: string;
        attachments?: { media_keys?: string[] };
      }[];
      const media = new Set((m.includes?.media ?? []).map((x) => x.media_key as string));
      expect(users.has(data.author_id)).toBe(true);
      for (const mention of data.entities?.mentions ?? []) expect(users.has(mention.id)).toBe(true);
      if (data.in_reply_to_user_id) expect(users.has(data.in_reply_to_user_id)).toBe(true);
      for (const ref of data.referenced_tweets ?? []) {
        const included = tweets.find((t) => t.id === ref.id);
        expect(included).toBeDefined();
        expect(users.has(included?.author_id as string)).toBe(true);
        for (const key of included?.attachments?.media_keys ?? [])
          expect(media.has(key)).toBe(true);
      }
      for (const key of data.attachments?.media_keys ?? []) expect(media.has(key)).toBe(true);
      expect((m.includes?.polls ?? []).map((p) => p.id)).toEqual(data.attachments?.poll_ids ?? []);
      expect((m.includes?.places ?? []).map((p) => p.id)).toEqual(
        data.geo ? [data.geo.place_id] : [],
      );
      for (const p of m.includes?.places ?? [])
        expect(Object.keys(p).sort()).toEqual([
          'country',
          'country_code',
          'full_name',
          'geo',
          'id',
          'name',
          'place_type',
        ]);
      for (const u of m.includes?.users ?? [])
        expect(Object.keys(u).sort()).toEqual([
          'created_at',
          'description',
          'id',
          'name',
          'public_metrics',
          'username',
          'verified',
        ]);
      for (const key of Object.keys(seen) as (keyof typeof seen)[])
        seen[key] += m.includes?.[key]?.length ?? 0;
    }
    expect(Object.values(seen).every((n) => n > 5)).toBe(true);
  });
});
