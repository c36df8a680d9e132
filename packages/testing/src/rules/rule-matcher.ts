import { parseRule, type RuleNode, type Term } from '@birdstream/rules';
import type { MatchFacts } from '../traffic/model.js';
import { hashKeys } from '../traffic/prng.js';
import { isPictograph, needsSubstringMatch, tokenize } from '../traffic/tokens.js';

/** What rules are matched against. */
export type MatchInput = MatchFacts;

function containsSequence(
  tokens: readonly string[],
  phrase: readonly string[],
  slack: number,
): boolean {
  if (phrase.length === 0) return false;
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i] !== phrase[0]) continue;
    let pos = i;
    let ok = true;
    for (let k = 1; k < phrase.length; k++) {
      let found = -1;
      for (let j = pos + 1; j <= Math.min(tokens.length - 1, pos + 1 + slack); j++) {
        if (tokens[j] === phrase[k]) {
          found = j;
          break;
        }
      }
      if (found === -1) {
        ok = false;
        break;
      }
      pos = found;
    }
    if (ok) return true;
  }
  return false;
}

function matchKeyword(word: string, facts: MatchInput): boolean {
  const value = word.toLowerCase();
  if (needsSubstringMatch(value)) return facts.lowerText.includes(value);
  if (isPictograph(value)) return facts.lowerText.includes(value);
  const parts = tokenize(value);
  if (parts.length === 1) return facts.tokens.includes(parts[0] as string);
  return containsSequence(facts.tokens, parts, 0);
}

function matchOperator(name: string, raw: string, f: MatchInput): boolean {
  const value = raw.toLowerCase();
  switch (name) {
    case 'from':
      return f.from === value.replace(/^@/, '') || f.authorId === value;
    case 'to':
      return f.to === value.replace(/^@/, '');
    case 'retweets_of':
      return f.retweetsOf === value.replace(/^@/, '');
    case 'lang':
      return f.lang === value;
    case 'is':
      switch (value) {
        case 'retweet':
          return f.isRetweet;
        case 'reply':
          return f.isReply;
        case 'quote':
          return f.isQuote;
        case 'verified':
          return f.isVerified;
        default:
          return false; // is:nullcast — the emulator has no promoted-only posts
      }
    case 'has':
      switch (value) {
        case 'media':
          return f.hasMedia;
        case 'images':
          return f.hasImages;
        case 'video_link':
          return f.hasVideo;
        case 'links':
          return f.hasLinks || f.hasMedia;
        case 'mentions':
          return f.mentions.size > 0;
        case 'hashtags':
          return f.hashtags.size > 0;
        case 'cashtags':
          return f.cashtags.size > 0;
        case 'geo':
          return f.hasGeo;
        default:
          return false;
      }
    case 'url':
      return f.urls.some((u) => u.includes(value));
    case 'place':
      return f.placeName?.includes(value) ?? false;
    case 'place_country':
      return f.placeCountry === value;
    case 'conversation_id':
      return f.conversationId === value;
    case 'bio':
      return tokenize(f.bio).includes(value);
    case 'bio_name':
      return tokenize(f.bioName).includes(value);
    case 'bio_location':
      return f.bioLocation.includes(value);
    case 'source':
      return f.source.toLowerCase() === value;
    case 'context':
      return f.contexts.some((c) =>
        value.endsWith('.*') ? c.startsWith(value.slice(0, -1)) : c === value,
      );
    case 'sample': {
      const percent = Number(value);
      return hashKeys(0x5a3, Number(BigInt(f.id) & 0xffffffffn)) % 100 < percent;
    }
    default:
      return false; // operators the emulator does not model never match
  }
}

function evaluate(node: RuleNode, f: MatchInput): boolean {
  switch (node.type) {
    case 'and':
      return node.children.every((n) => evaluate(n, f));
    case 'or':
      return node.children.some((n) => evaluate(n, f));
    case 'group': {
      const matched = node.body !== undefined && evaluate(node.body, f);
      return node.negated ? !matched : matched;
    }
    case 'term': {
      const matched = matchTerm(node.term, f);
      return node.negated ? !matched : matched;
    }
  }
}

function matchTerm(term: Term, f: MatchInput): boolean {
  switch (term.type) {
    case 'keyword':
      return matchKeyword(term.text, f);
    case 'phrase': {
      const value = term.text.toLowerCase();
      if (needsSubstringMatch(value)) return f.lowerText.includes(value);
      const proximity = Number(term.proximity?.raw ?? 0);
      return containsSequence(
        f.tokens,
        tokenize(value),
        Number.isInteger(proximity) ? proximity : 0,
      );
    }
    case 'hashtag':
      return f.hashtags.has(term.text.toLowerCase());
    case 'mention':
      return f.mentions.has(term.text.toLowerCase());
    case 'cashtag':
      // `$5` is a price, not a cashtag
      return /^\d/.test(term.text)
        ? matchKeyword(`$${term.text}`, f)
        : f.cashtags.has(term.text.toLowerCase());
    case 'operator':
      return matchOperator(term.name, term.value, f);
  }
}

/** A rule compiled once into a predicate over posts. */
export type RulePredicate = (facts: MatchInput) => boolean;

/**
 * Compiles a rule value, parsed by `@birdstream/rules`' `parseRule`. Matching follows X's documented semantics: case
 * insensitive, tokenized keywords (`cat` matches `#cat` and `cat!` but not
 * `cats`), accents significant, phrases as token sequences, `OR` binding
 * looser than the implicit AND, `-` negating one term or group.
 */
export function compileRule(value: string): RulePredicate {
  // The grammar of @birdstream/rules (the one validateRule checks), so the
  // emulator reads a rule exactly as the validator does.
  const { root } = parseRule(value);
  if (root === undefined) return () => false;
  return (facts) => evaluate(root, facts);
}
