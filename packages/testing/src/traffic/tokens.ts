const PICTOGRAPH = /\p{Extended_Pictographic}/u;
const TOKEN = /\p{Extended_Pictographic}|[\p{L}\p{N}\p{M}_']+/gu;
const NO_SPACES_SCRIPT =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Arabic}]/u;

/**
 * Splits text into lowercase tokens the way X's keyword matching does:
 * words break at whitespace, punctuation and symbols (so `#coffee` and
 * `coffee!` both contain the token `coffee`), and every emoji is a token.
 */
export function tokenize(text: string): string[] {
  const tokens = text.toLowerCase().match(TOKEN) ?? [];
  return tokens.map((t) => (t.length > 1 && t.endsWith("'") ? t.slice(0, -1) : t));
}

/** True for a single emoji (X treats an emoji in a rule as a keyword). */
export function isPictograph(text: string): boolean {
  return PICTOGRAPH.test(text);
}

/**
 * True when a keyword is written in a script that does not separate words
 * with spaces (CJK, and Korean/Arabic where particles attach to words); such
 * keywords match as substrings.
 */
export function needsSubstringMatch(keyword: string): boolean {
  return NO_SPACES_SCRIPT.test(keyword);
}
