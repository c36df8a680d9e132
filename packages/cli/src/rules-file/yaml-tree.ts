import type { LocatedNode } from '@birdstream/rules';
import { isMap, isScalar, isSeq, type Scalar } from 'yaml';
import { type ScalarStyle, scalarOffsets } from './scalar-offsets.js';

/** The YAML scalar each string or null node came from (for the YAML comment checks). */
export type ScalarOrigins = Map<LocatedNode, Scalar>;

/**
 * Turns a node of `yaml`'s document (parsed with `keepSourceTokens`) into
 * `@birdstream/rules`' located tree, so that YAML rules are read by the same
 * code as JSON ones. Strings carry the offset of each of their characters in
 * `source` (through YAML's escapes and `''`). Offsets of nodes without a
 * range (an empty value) fall back to their parent's.
 */
export function toLocatedNode(
  node: unknown,
  source: string,
  fallback: number,
  origins: ScalarOrigins,
): LocatedNode {
  const offset = startOf(node) ?? fallback;
  if (isMap(node)) {
    return {
      kind: 'object',
      offset,
      entries: node.items.map((pair) => {
        const keyOffset = startOf(pair.key) ?? offset;
        return {
          key: isScalar(pair.key) ? String(pair.key.value) : '?',
          keyOffset,
          value: toLocatedNode(pair.value, source, keyOffset, origins),
        };
      }),
    };
  }
  if (isSeq(node)) {
    return {
      kind: 'array',
      offset,
      items: node.items.map((item) => toLocatedNode(item, source, offset, origins)),
    };
  }
  if (!isScalar(node)) return node == null ? { kind: 'null', offset } : { kind: 'other', offset };
  const { value } = node;
  let located: LocatedNode;
  if (typeof value === 'string') {
    const units = scalarOffsets(source, offset, styleOf(node));
    located = { kind: 'string', offset, value, units };
  } else if (value === null || value === undefined) {
    located = { kind: 'null', offset };
  } else if (typeof value === 'number' || typeof value === 'bigint') {
    located = { kind: 'number', offset, value: Number(value) };
  } else if (typeof value === 'boolean') {
    located = { kind: 'boolean', offset, value };
  } else {
    return { kind: 'other', offset };
  }
  origins.set(located, node);
  return located;
}

function startOf(node: unknown): number | undefined {
  return (node as { range?: [number, number, number] } | null)?.range?.[0];
}

/** How each kind of YAML scalar is written; block scalars (`|`, `>`) are the rest. */
const STYLES: Partial<Record<string, ScalarStyle>> = {
  QUOTE_DOUBLE: 'double',
  QUOTE_SINGLE: 'single',
  PLAIN: 'plain',
};

function styleOf(node: Scalar): ScalarStyle {
  return (node.type && STYLES[node.type]) ?? 'block';
}
