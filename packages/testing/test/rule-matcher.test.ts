import { afterEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import { compileRule } from '../src/rules/rule-matcher.js';
import type { MatchFacts } from '../src/traffic/model.js';
import { tokenize } from '../src/traffic/tokens.js';
import { rawRequest, STREAM } from './helpers/raw-stream.js';

function facts(text: string, extra: Partial<MatchFacts> = {}): MatchFacts {
  return {
    id: '1900000000000000000',
    authorId: '42',
    source: 'Twitter for iPhone',
    contexts: ['65.834828264786898945'],
    tokens: tokenize(text),
    lowerText: text.toLowerCase(),
    hashtags: new Set((text.match(/#(\w+)/gu) ?? []).map((h) => h.slice(1).toLowerCase())),
    cashtags: new Set(),
    mentions: new Set((text.match(/@(\w+)/gu) ?? []).map((h) => h.slice(1).toLowerCase())),
    from: 'maya_1',
    to: undefined,
    retweetsOf: undefined,
    lang: 'en',
    isRetweet: false,
    isReply: false,
    isQuote: false,
    isVerified: false,
    hasMedia: false,
    hasImages: false,
    hasVideo: false,
    hasLinks: false,
    hasGeo: false,
    urls: [],
    placeName: undefined,
    placeCountry: undefined,
    conversationId: '1900000000000000000',
    bio: '',
    bioName: '',
    bioLocation: '',
    ...extra,
  };
}

const matches = (rule: string, text: string, extra?: Partial<MatchFacts>) =>
  compileRule(rule)(facts(text, extra));

describe('rule matching', () => {
  it('matches keywords as whole tokens, ignoring case and punctuation', () => {
    expect(matches('cat', 'My Cat! sleeps')).toBe(true);
    expect(matches('cat', 'so many #cat pictures')).toBe(true);
    expect(matches('cat', 'cats everywhere')).toBe(false);
    expect(matches('cat', 'concatenate')).toBe(false);
  });

  it('keeps accents significant', () => {
    expect(matches('café', 'Un café et je suis prête')).toBe(true);
    expect(matches('cafe', 'Un café et je suis prête')).toBe(false);
  });

  it('matches CJK and emoji keywords inside text without spaces', () => {
    expect(matches('猫', '猫がキーボードの上で寝てて')).toBe(true);
    expect(matches('コーヒー', '朝のコーヒーがないと')).toBe(true);
    expect(matches('☕', 'coffee time ☕☕')).toBe(true);
    expect(matches('🐈', 'coffee time ☕')).toBe(false);
  });

  it('matches exact phrases as token sequences, and proximity', () => {
    expect(matches('"free kick"', 'That free kick, wow')).toBe(true);
    expect(matches('"free kick"', 'kick it free')).toBe(false);
    expect(matches('"missing await"~2', 'a missing little await')).toBe(true);
    expect(matches('"missing await"', 'a missing little await')).toBe(false);
  });

  it('matches #hashtags, @mentions and $cashtags against entities only', () => {
    expect(matches('#coffee', 'I love #Coffee')).toBe(true);
    expect(matches('#coffee', 'I love coffee')).toBe(false);
    expect(matches('@maya_1', 'hello @Maya_1')).toBe(true);
    expect(matches('$btc', 'up again', { cashtags: new Set(['btc']) })).toBe(true);
  });

  it('combines with implicit AND, OR (looser than AND), negation and parentheses', () => {
    expect(matches('coffee rain', 'coffee in the rain')).toBe(true);
    expect(matches('coffee rain', 'coffee in the sun')).toBe(false);
    expect(matches('coffee OR rain', 'rain again')).toBe(true);
    expect(matches('coffee sun OR rain', 'rain again')).toBe(true);
    expect(matches('coffee (sun OR rain)', 'rain again')).toBe(false);
    expect(matches('coffee (sun OR rain)', 'coffee and rain')).toBe(true);
    expect(matches('coffee -rain', 'coffee and rain')).toBe(false);
    expect(matches('coffee -rain', 'coffee and sun')).toBe(true);
    expect(matches('coffee -"oat milk"', 'coffee with oat milk')).toBe(false);
  });

  it('understands from:, to:, lang:, is:, has:, place_country:, url:, context:, sample:', () => {
    expect(matches('cat from:maya_1', 'cat')).toBe(true);
    expect(matches('cat from:someone', 'cat')).toBe(false);
    expect(matches('cat from:42', 'cat')).toBe(true);
    expect(matches('cat to:bob', 'cat', { to: 'bob', isReply: true })).toBe(true);
    expect(matches('cat lang:ja', 'cat')).toBe(false);
    expect(matches('cat lang:ja', 'cat', { lang: 'ja' })).toBe(true);
    expect(matches('cat -is:retweet', 'cat', { isRetweet: true })).toBe(false);
    expect(matches('cat is:reply', 'cat', { isReply: true })).toBe(true);
    expect(matches('cat has:images', 'cat', { hasMedia: true, hasImages: true })).toBe(true);
    expect(matches('cat has:media', 'cat')).toBe(false);
    expect(matches('cat place_country:JP', 'cat', { placeCountry: 'jp' })).toBe(true);
    expect(matches('url:"github.com"', 'x', { urls: ['https://github.com/example/code'] })).toBe(
      true,
    );
    expect(matches('context:65.834828264786898945', 'x')).toBe(true);
    expect(matches('context:65.*', 'x')).toBe(true);
    expect(matches('cat sample:100', 'cat')).toBe(true);
    expect(matches('cat sample:0', 'cat')).toBe(false);
  });

  it('never matches operators it does not model', () => {
    expect(matches('point_radius:[2.355128 48.861118 16km]', 'anything')).toBe(false);
  });
});

describe('matching_rules on the wire', () => {
  let emu: Emulator | undefined;
  afterEach(async () => {
    await emu?.close();
  });

  it('lists exactly the rules each post matches, with their tags, and sends no post that matches none', async () => {
    emu = await startEmulator({
      seed: 21,
      rate: 10,
      timeScale: 200,
      rules: [
        { value: 'coffee', tag: 'coffee' },
        { value: '#CoffeeTime OR #cats', tag: 'tags' },
        { value: 'cat -is:retweet' },
      ],
    });
    const byValue = Object.fromEntries(emu.rules().map((r) => [r.value, r.id]));
    const res = await rawRequest(emu.url, `${STREAM}?tweet.fields=entities,referenced_tweets`);
    await res.until(() => res.messages().length >= 60);
    res.close();
    type Message = {
      data: {
        text: string;
        entities?: { hashtags?: { tag: string }[] };
        referenced_tweets?: { type: string }[];
      };
      matching_rules: { id: string; tag: string }[];
    };
    let seen = 0;
    for (const m of res.messages<Message>()) {
      const words = m.data.text.toLowerCase().split(/[^\p{L}\p{N}_']+/u);
      const tags = (m.data.entities?.hashtags ?? []).map((h) => h.tag.toLowerCase());
      const retweet = (m.data.referenced_tweets ?? []).some((r) => r.type === 'retweeted');
      const expected: { id: string; tag: string }[] = [];
      if (words.includes('coffee')) expected.push({ id: byValue.coffee as string, tag: 'coffee' });
      if (tags.includes('coffeetime') || tags.includes('cats'))
        expected.push({ id: byValue['#CoffeeTime OR #cats'] as string, tag: 'tags' });
      if (words.includes('cat') && !retweet)
        expected.push({ id: byValue['cat -is:retweet'] as string, tag: '' });
      expect(m.matching_rules).toEqual(expected);
      seen += expected.length;
    }
    expect(seen).toBeGreaterThanOrEqual(60);
  });

  it('applies rule changes to a live connection', async () => {
    emu = await startEmulator({
      seed: 4,
      rate: 10,
      timeScale: 200,
      rules: [{ value: 'coffee', tag: 'first' }],
    });
    const res = await rawRequest(emu.url, STREAM);
    await res.until(() => res.messages().length >= 3);
    await fetch(`${emu.url}/2/tweets/search/stream/rules`, {
      method: 'POST',
      headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
      body: JSON.stringify({ add: [{ value: 'cat OR cats', tag: 'second' }] }),
    });
    await res.until(() =>
      res.messages().some((m) => m.matching_rules?.some((r) => r.tag === 'second')),
    );
    res.close();
  });
});
