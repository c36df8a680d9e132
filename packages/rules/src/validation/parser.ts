import { type Term, type Token, type TokenIssue, tokenize } from './tokenizer.js';

/**
 * The rule as a tree. Space is AND, `OR` is OR, AND binds tighter than OR,
 * parentheses group (spec §3.6). Positions are 0-based, `end` exclusive.
 */
export type RuleNode =
  | { type: 'term'; term: Term; negated: boolean; start: number; end: number }
  | { type: 'group'; body: RuleNode | undefined; negated: boolean; start: number; end: number }
  | { type: 'and'; children: RuleNode[]; start: number; end: number }
  | { type: 'or'; children: RuleNode[]; start: number; end: number };

/** A structural problem found while parsing. */
export interface ParseIssue {
  code: 'unbalanced-parentheses' | 'negated-group' | 'empty-group' | 'dangling-or' | 'lone-dash';
  start: number;
  length: number;
  /** For `unbalanced-parentheses`: which side is missing. */
  missing?: '(' | ')';
}

export interface Parsed {
  root: RuleNode | undefined;
  issues: ParseIssue[];
}

/** What {@link parseRule} returns: the tree, and every syntax problem found on the way. */
export interface ParsedRule {
  /** The rule as a tree; `undefined` for a rule without any term. */
  root: RuleNode | undefined;
  /** Problems of the syntax (quotes, brackets, parentheses, `OR`, `-`), by position; `[]` for a well-formed rule. */
  issues: (TokenIssue | ParseIssue)[];
}

/**
 * Parses a rule value into its tree — the grammar `validateRule` checks and
 * `@birdstream/testing`'s emulator matches posts with, so both read a rule
 * the same way. Space is AND, `OR` is OR (AND binds tighter), parentheses
 * group, `-` negates the term or group after it. Never throws: a malformed
 * rule gives the tree recovered from it and its `issues` (use
 * `validateRule` for messages a person can act on).
 *
 * @example
 * ```ts
 * const { root } = parseRule('cat OR dog -is:retweet');
 * // root: { type: 'or', children: [term cat, { type: 'and', children: [term dog, term -is:retweet] }] }
 * ```
 */
export function parseRule(value: string): ParsedRule {
  const tokenized = tokenize(value);
  const parsed = parse(tokenized.tokens);
  const issues = [...tokenized.issues, ...parsed.issues].sort((a, b) => a.start - b.start);
  return { root: parsed.root, issues };
}

/**
 * Parses tokens into a tree, recovering from every error so that all
 * problems of a rule are reported at once: a stray `)` is skipped, a missing
 * `)` is assumed at the end, an empty side of `OR` is dropped.
 */
export function parse(tokens: readonly Token[]): Parsed {
  return new Parser(tokens).parseRule();
}

class Parser {
  private pos = 0;
  private depth = 0;
  private readonly issues: ParseIssue[] = [];

  constructor(private readonly tokens: readonly Token[]) {}

  parseRule(): Parsed {
    const root = this.parseOr();
    return { root, issues: this.issues };
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private parseOr(): RuleNode | undefined {
    const branches: RuleNode[] = [];
    const first = this.parseAnd();
    if (first) branches.push(first);
    let previousEmpty = first === undefined;
    let previousReported = false;
    for (let token = this.peek(); token?.kind === 'or'; token = this.peek()) {
      this.pos++;
      const branch = this.parseAnd();
      // `cat OR OR dog` is one mistake: report the empty side once.
      const dangling: boolean = (previousEmpty && !previousReported) || branch === undefined;
      if (dangling) this.issues.push({ code: 'dangling-or', start: token.start, length: 2 });
      if (branch) branches.push(branch);
      previousEmpty = branch === undefined;
      previousReported = dangling;
    }
    if (branches.length <= 1) return branches[0];
    return {
      type: 'or',
      children: branches,
      start: branches[0]!.start,
      end: branches[branches.length - 1]!.end,
    };
  }

  private parseAnd(): RuleNode | undefined {
    const children: RuleNode[] = [];
    for (let token = this.peek(); token && token.kind !== 'or'; token = this.peek()) {
      if (token.kind === 'rparen') {
        if (this.depth > 0) break;
        this.issues.push({
          code: 'unbalanced-parentheses',
          start: token.start,
          length: 1,
          missing: '(',
        });
        this.pos++;
        continue;
      }
      const node = this.parseUnary();
      if (node) children.push(node);
    }
    if (children.length <= 1) return children[0];
    return {
      type: 'and',
      children,
      start: children[0]!.start,
      end: children[children.length - 1]!.end,
    };
  }

  private parseUnary(): RuleNode | undefined {
    const token = this.peek()!;
    if (token.kind === 'lparen') return this.parseGroup(undefined);
    if (token.kind === 'term') {
      this.pos++;
      return { type: 'term', term: token.term, negated: false, start: token.start, end: token.end };
    }
    // token.kind === 'minus': the tokenizer only emits it before something to negate
    this.pos++;
    const next = this.peek();
    if (next?.kind === 'lparen') return this.parseGroup(token.start);
    if (next?.kind === 'term') {
      this.pos++;
      return { type: 'term', term: next.term, negated: true, start: token.start, end: next.end };
    }
    this.issues.push({ code: 'lone-dash', start: token.start, length: 1 });
    return undefined;
  }

  /** Parses `( ... )`; `minusAt` is the position of a `-` in front of it. */
  private parseGroup(minusAt: number | undefined): RuleNode {
    const open = this.tokens[this.pos]!;
    this.pos++;
    this.depth++;
    const body = this.parseOr();
    this.depth--;
    const close = this.peek();
    let end: number;
    if (close?.kind === 'rparen') {
      this.pos++;
      end = close.end;
    } else {
      this.issues.push({
        code: 'unbalanced-parentheses',
        start: open.start,
        length: 1,
        missing: ')',
      });
      end = body?.end ?? open.end;
    }
    const start = minusAt ?? open.start;
    if (minusAt !== undefined) {
      this.issues.push({ code: 'negated-group', start: minusAt, length: end - minusAt });
    }
    if (!body)
      this.issues.push({ code: 'empty-group', start: open.start, length: end - open.start });
    return { type: 'group', body, negated: minusAt !== undefined, start, end };
  }
}
