import { describe, expect, test } from 'vitest';
import { parseRule, type RuleNode } from '../../src/index.js';

/** A compact rendering of the tree: AND as `&`, OR as `|`, negation as `-`. */
function show(node: RuleNode | undefined): string {
  if (node === undefined) return '∅';
  switch (node.type) {
    case 'and':
      return `(${node.children.map(show).join(' & ')})`;
    case 'or':
      return `(${node.children.map(show).join(' | ')})`;
    case 'group':
      return `${node.negated ? '-' : ''}[${show(node.body)}]`;
    case 'term': {
      const t = node.term;
      const text =
        t.type === 'operator'
          ? `${t.name}:${t.value}`
          : t.type === 'phrase'
            ? `"${t.text}"${t.proximity ? `~${t.proximity.raw}` : ''}`
            : `${{ keyword: '', hashtag: '#', mention: '@', cashtag: '$' }[t.type]}${t.text}`;
      return `${node.negated ? '-' : ''}${text}`;
    }
  }
}

describe('parseRule: the exported parse tree', () => {
  test.each([
    ['cat dog OR bird', '((cat & dog) | bird)'],
    ['cat (dog OR bird) -is:retweet', '(cat & [(dog | bird)] & -is:retweet)'],
    ['"happy cat"~3 #meow @x $TWTR', '("happy cat"~3 & #meow & @x & $TWTR)'],
    ['from:"a b" url:[x y]', '(from:a b & url:x y)'],
  ])('%s', (rule, tree) => {
    const parsed = parseRule(rule);
    expect(show(parsed.root)).toBe(tree);
    expect(parsed.issues).toEqual([]);
  });

  test('a malformed rule gives the recovered tree and its issues, by position', () => {
    const parsed = parseRule('(cat OR "dog');
    expect(parsed.issues.map((issue) => issue.code)).toEqual([
      'unbalanced-parentheses',
      'unbalanced-quotes',
    ]);
    expect(show(parsed.root)).toBe('[(cat | "dog")]');
    expect(parseRule('   ').root).toBeUndefined();
  });
});
