/**
 * A lenient parser of filtered-stream rule syntax, for matching posts. The
 * rules are validated with `validateRule` from @birdstream/rules before they
 * are stored; this parser only has to understand valid rules.
 */

export type RuleNode =
  | { kind: 'and'; items: RuleNode[] }
  | { kind: 'or'; items: RuleNode[] }
  | { kind: 'not'; item: RuleNode }
  | { kind: 'keyword'; value: string }
  | { kind: 'phrase'; value: string; proximity?: number }
  | { kind: 'hashtag'; value: string }
  | { kind: 'mention'; value: string }
  | { kind: 'cashtag'; value: string }
  | { kind: 'operator'; name: string; value: string };

type Token =
  | { type: 'open'; negated: boolean }
  | { type: 'close' }
  | { type: 'or' }
  | { type: 'term'; node: RuleNode; negated: boolean };

function readQuoted(rule: string, start: number): { text: string; end: number } {
  const close = rule.indexOf('"', start + 1);
  const end = close === -1 ? rule.length : close + 1;
  return { text: rule.slice(start + 1, close === -1 ? rule.length : close), end };
}

function termFor(word: string): RuleNode {
  const first = word[0];
  if (first === '#' && word.length > 1) return { kind: 'hashtag', value: word.slice(1) };
  if (first === '@' && word.length > 1) return { kind: 'mention', value: word.slice(1) };
  if (first === '$' && word.length > 1 && !/^\$\d/.test(word))
    return { kind: 'cashtag', value: word.slice(1) };
  const colon = word.indexOf(':');
  if (colon > 0 && /^[a-z_]+$/.test(word.slice(0, colon))) {
    return { kind: 'operator', name: word.slice(0, colon), value: word.slice(colon + 1) };
  }
  return { kind: 'keyword', value: word };
}

function lex(rule: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < rule.length) {
    const c = rule[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    let negated = false;
    if (c === '-' && i + 1 < rule.length && !/\s/.test(rule[i + 1] as string)) {
      negated = true;
      i++;
    }
    const d = rule[i] as string;
    if (d === '(') {
      tokens.push({ type: 'open', negated });
      i++;
    } else if (d === ')') {
      tokens.push({ type: 'close' });
      i++;
    } else if (d === '"') {
      const { text, end } = readQuoted(rule, i);
      i = end;
      const proximity = /^~(\d+)/.exec(rule.slice(i));
      const node: RuleNode = { kind: 'phrase', value: text };
      if (proximity) {
        node.proximity = Number(proximity[1]);
        i += proximity[0].length;
      }
      tokens.push({ type: 'term', node, negated });
    } else {
      let j = i;
      while (j < rule.length && !/[\s()]/.test(rule[j] as string)) {
        if (rule[j] === ':' && rule[j + 1] === '"') {
          j = readQuoted(rule, j + 1).end;
          continue;
        }
        if (rule[j] === ':' && rule[j + 1] === '[') {
          const close = rule.indexOf(']', j);
          j = close === -1 ? rule.length : close + 1;
          continue;
        }
        j++;
      }
      const word = rule.slice(i, j);
      i = j;
      if (word === 'OR' && !negated) tokens.push({ type: 'or' });
      else {
        const node = termFor(word);
        if (node.kind === 'operator' && node.value.startsWith('"'))
          node.value = node.value.slice(1, node.value.endsWith('"') ? -1 : undefined);
        tokens.push({ type: 'term', node, negated });
      }
    }
  }
  return tokens;
}

class Parser {
  private at = 0;
  constructor(private readonly tokens: Token[]) {}

  parseOr(): RuleNode {
    const items = [this.parseAnd()];
    while (this.tokens[this.at]?.type === 'or') {
      this.at++;
      items.push(this.parseAnd());
    }
    return items.length === 1 ? (items[0] as RuleNode) : { kind: 'or', items };
  }

  private parseAnd(): RuleNode {
    const items: RuleNode[] = [];
    for (;;) {
      const token = this.tokens[this.at];
      if (!token || token.type === 'or' || token.type === 'close') break;
      this.at++;
      if (token.type === 'open') {
        const inner = this.parseOr();
        if (this.tokens[this.at]?.type === 'close') this.at++;
        items.push(token.negated ? { kind: 'not', item: inner } : inner);
      } else if (token.type === 'term') {
        items.push(token.negated ? { kind: 'not', item: token.node } : token.node);
      }
    }
    return items.length === 1 ? (items[0] as RuleNode) : { kind: 'and', items };
  }

  parse(): RuleNode {
    const node = this.parseOr();
    // Stray closing parentheses: keep reading what follows as more AND terms.
    while (this.at < this.tokens.length) {
      this.at++;
      const rest = this.parseOr();
      return { kind: 'and', items: [node, rest] };
    }
    return node;
  }
}

/** Parses a rule value into a tree: space is AND, `OR` is OR (AND binds tighter), `-` negates. */
export function parseRule(rule: string): RuleNode {
  return new Parser(lex(rule)).parse();
}
