import { plural } from './format.js';

/** A rule as listed: id, value, optional tag. */
export interface ListedRule {
  id: string;
  value: string;
  tag?: string | undefined;
}

const MAX_TAG_WIDTH = 24;

/** The readable `rules list`: one rule per line (id, tag, full value) and a count. */
export function formatRulesTable(rules: readonly ListedRule[]): string {
  if (rules.length === 0) {
    return 'No rules: the filtered stream delivers nothing until you add some (birdstream rules sync rules.json).\n';
  }
  const tags = rules.map((rule) => shorten(rule.tag ?? '-', MAX_TAG_WIDTH));
  const idWidth = Math.max(2, ...rules.map((rule) => rule.id.length));
  const tagWidth = Math.max(3, ...tags.map((tag) => tag.length));
  const lines = [`${'ID'.padEnd(idWidth)}  ${'TAG'.padEnd(tagWidth)}  VALUE`];
  rules.forEach((rule, i) => {
    lines.push(
      `${rule.id.padEnd(idWidth)}  ${(tags[i] ?? '-').padEnd(tagWidth)}  ${oneLine(rule.value)}`,
    );
  });
  lines.push('', `${plural(rules.length, 'rule')}.`);
  return `${lines.join('\n')}\n`;
}

function shorten(text: string, max: number): string {
  const flat = oneLine(text);
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

function oneLine(text: string): string {
  return text.replace(/[\r\n\t]+/g, ' ');
}
