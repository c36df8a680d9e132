/**
 * Splits a rule value into tokens. Positions are 0-based UTF-16 offsets into
 * the value (`end` exclusive); problems convert them to X's 1-based positions.
 *
 * The tokenizer never throws: an unterminated quote or bracket is reported in
 * `issues` and the token runs to the end of the rule, so the parser and the
 * checks still see everything after it.
 */

/** A phrase `"..."`, optionally with a proximity suffix `~N`. */
export interface PhraseTerm {
  type: 'phrase';
  /** The text between the quotes, with `\"` unescaped. */
  text: string;
  closed: boolean;
  /** The `N` of `"a b"~N` as written (may be empty or not a number) and where it starts. */
  proximity?: { raw: string; start: number };
}

/** A bare word: a keyword, an emoji, or a word with a colon that is not an operator. */
export interface KeywordTerm {
  type: 'keyword';
  text: string;
  /** Set when the word is `name:` with nothing after the colon (`entity: San Francisco`). */
  emptyOperator?: string;
}

/** `#hashtag`, `@mention` or `$cashtag`; `text` is without the prefix. */
export interface EntityTerm {
  type: 'hashtag' | 'mention' | 'cashtag';
  text: string;
}

/** `name:value`, `name:"quoted value"` or `name:[bracketed values]`. */
export interface OperatorTerm {
  type: 'operator';
  /** The name as written, without the colon. */
  name: string;
  /** The value without quotes or brackets. */
  value: string;
  /** Where the value starts (after the opening quote or bracket, if any). */
  valueStart: number;
  quoted: boolean;
  bracketed: boolean;
}

/** One term of a rule: a quoted phrase, a keyword, an entity (`#tag`, `@user`, `$cashtag`) or an operator (`lang:en`). */
export type Term = PhraseTerm | KeywordTerm | EntityTerm | OperatorTerm;

export type Token =
  | { kind: 'lparen' | 'rparen' | 'or' | 'minus'; start: number; end: number }
  | { kind: 'term'; term: Term; start: number; end: number };

/** A problem the tokenizer can see on its own. */
export interface TokenIssue {
  code: 'unbalanced-quotes' | 'unbalanced-brackets' | 'lone-dash';
  start: number;
  length: number;
}

export interface Tokenized {
  tokens: Token[];
  issues: TokenIssue[];
}

const OPERATOR_NAME = /[A-Za-z_]+:/y;

function isSpace(char: string | undefined): boolean {
  return char !== undefined && /\s/.test(char);
}

/** Characters that end a bare word. */
function endsWord(char: string | undefined): boolean {
  return char === undefined || char === '(' || char === ')' || char === '"' || isSpace(char);
}

export function tokenize(value: string): Tokenized {
  const tokens: Token[] = [];
  const issues: TokenIssue[] = [];
  let i = 0;

  while (i < value.length) {
    const char = value[i];
    if (isSpace(char)) {
      i++;
    } else if (char === '(' || char === ')') {
      tokens.push({ kind: char === '(' ? 'lparen' : 'rparen', start: i, end: i + 1 });
      i++;
    } else if (char === '"') {
      const phrase = readPhrase(value, i, issues);
      tokens.push({ kind: 'term', term: phrase.term, start: i, end: phrase.end });
      i = phrase.end;
    } else if (char === '-' && value[i + 1] !== '-' && !endsWordOrSpace(value[i + 1])) {
      tokens.push({ kind: 'minus', start: i, end: i + 1 });
      i++;
    } else if (char === '-' && endsWordOrSpace(value[i + 1])) {
      issues.push({ code: 'lone-dash', start: i, length: 1 });
      i++;
    } else {
      const word = readWord(value, i, issues);
      tokens.push(word.token);
      i = word.end;
    }
  }
  return { tokens, issues };
}

/** `-` negates what follows unless a space, the end or a closing parenthesis follows it. */
function endsWordOrSpace(char: string | undefined): boolean {
  return char === undefined || char === ')' || isSpace(char);
}

/** Reads `"..."` (with `\"` escapes) starting at the opening quote, plus an optional `~N`. */
function readPhrase(
  value: string,
  start: number,
  issues: TokenIssue[],
): { term: PhraseTerm; end: number } {
  const quoted = readQuoted(value, start);
  if (!quoted.closed) issues.push({ code: 'unbalanced-quotes', start, length: 1 });
  const term: PhraseTerm = { type: 'phrase', text: quoted.text, closed: quoted.closed };
  let end = quoted.end;
  if (quoted.closed && value[end] === '~') {
    let k = end + 1;
    while (k < value.length && !endsWord(value[k])) k++;
    term.proximity = { raw: value.slice(end + 1, k), start: end + 1 };
    end = k;
  }
  return { term, end };
}

function readQuoted(value: string, start: number): { text: string; closed: boolean; end: number } {
  let text = '';
  let k = start + 1;
  while (k < value.length) {
    const c = value[k];
    if (c === '\\' && value[k + 1] === '"') {
      text += '"';
      k += 2;
    } else if (c === '"') {
      return { text, closed: true, end: k + 1 };
    } else {
      text += c;
      k++;
    }
  }
  return { text, closed: false, end: value.length };
}

function readWord(
  value: string,
  start: number,
  issues: TokenIssue[],
): { token: Token; end: number } {
  OPERATOR_NAME.lastIndex = start;
  const named = OPERATOR_NAME.exec(value);
  if (named) return readOperator(value, start, named[0].slice(0, -1), issues);

  let end = start;
  while (!endsWord(value[end])) end++;
  const text = value.slice(start, end);
  if (text === 'OR') return { token: { kind: 'or', start, end }, end };
  return { token: { kind: 'term', term: bareWord(text), start, end }, end };
}

function bareWord(text: string): Term {
  const prefix = text[0];
  if (text.length > 1) {
    if (prefix === '#') return { type: 'hashtag', text: text.slice(1) };
    if (prefix === '@') return { type: 'mention', text: text.slice(1) };
    if (prefix === '$') return { type: 'cashtag', text: text.slice(1) };
  }
  return { type: 'keyword', text };
}

function readOperator(
  value: string,
  start: number,
  name: string,
  issues: TokenIssue[],
): { token: Token; end: number } {
  const colonEnd = start + name.length + 1;
  const next = value[colonEnd];

  if (next === undefined || next === '(' || next === ')' || isSpace(next)) {
    const term: KeywordTerm = { type: 'keyword', text: `${name}:`, emptyOperator: name };
    return { token: { kind: 'term', term, start, end: colonEnd }, end: colonEnd };
  }

  if (next === '"') {
    const quoted = readQuoted(value, colonEnd);
    if (!quoted.closed) issues.push({ code: 'unbalanced-quotes', start: colonEnd, length: 1 });
    const term: OperatorTerm = {
      type: 'operator',
      name,
      value: quoted.text,
      valueStart: colonEnd + 1,
      quoted: true,
      bracketed: false,
    };
    return { token: { kind: 'term', term, start, end: quoted.end }, end: quoted.end };
  }

  if (next === '[') {
    const close = value.indexOf(']', colonEnd);
    const closed = close !== -1;
    if (!closed) issues.push({ code: 'unbalanced-brackets', start: colonEnd, length: 1 });
    const end = closed ? close + 1 : value.length;
    const term: OperatorTerm = {
      type: 'operator',
      name,
      value: value.slice(colonEnd + 1, closed ? close : value.length),
      valueStart: colonEnd + 1,
      quoted: false,
      bracketed: true,
    };
    return { token: { kind: 'term', term, start, end }, end };
  }

  let end = colonEnd;
  while (!endsWord(value[end])) end++;
  const term: OperatorTerm = {
    type: 'operator',
    name,
    value: value.slice(colonEnd, end),
    valueStart: colonEnd,
    quoted: false,
    bracketed: false,
  };
  return { token: { kind: 'term', term, start, end }, end };
}
