/**
 * A small JSON parser that remembers where each value starts, so problems in
 * a rules file can point at a line (`::error file=rules.json,line=12::…`).
 * Accepts exactly JSON (RFC 8259), plus a leading byte order mark.
 */

export type JsonNode =
  | { kind: 'object'; offset: number; entries: JsonEntry[] }
  | { kind: 'array'; offset: number; items: JsonNode[] }
  | { kind: 'string'; offset: number; value: string }
  | { kind: 'number'; offset: number; value: number }
  | { kind: 'boolean'; offset: number; value: boolean }
  | { kind: 'null'; offset: number };

export interface JsonEntry {
  key: string;
  keyOffset: number;
  value: JsonNode;
}

/** Invalid JSON, at a 0-based offset. */
export class JsonSyntaxError extends Error {
  override name = 'JsonSyntaxError';
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/** Parses JSON text into located nodes; throws {@link JsonSyntaxError}. */
export function parseLocatedJson(text: string): JsonNode {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;

  const fail = (message: string, at = i): never => {
    throw new JsonSyntaxError(message, at);
  };
  const skipSpace = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const describe = (at: number) => (at >= text.length ? 'the end of the text' : `'${text[at]}'`);

  const parseString = (): string => {
    const start = i;
    i++; // opening quote
    let out = '';
    while (i < text.length) {
      const c = text[i]!;
      if (c === '"') {
        i++;
        return out;
      }
      if (c === '\\') {
        const e = text[i + 1];
        if (e === 'u') {
          const hex = text.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('Invalid \\u escape in a string', i);
          out += String.fromCharCode(Number.parseInt(hex, 16));
          i += 6;
        } else if (e !== undefined && e in ESCAPES) {
          out += ESCAPES[e];
          i += 2;
        } else {
          fail('Invalid escape in a string', i);
        }
      } else if (c < ' ') {
        fail('Control character in a string (use \\n, \\t, …)', i);
      } else {
        out += c;
        i++;
      }
    }
    return fail('Unterminated string: a closing quote is missing', start);
  };

  const parseValue = (): JsonNode => {
    skipSpace();
    const offset = i;
    const c = text[i];
    if (c === '{') {
      i++;
      const entries: JsonEntry[] = [];
      skipSpace();
      if (text[i] === '}') {
        i++;
        return { kind: 'object', offset, entries };
      }
      for (;;) {
        skipSpace();
        if (text[i] !== '"') fail(`Expected a key in double quotes, found ${describe(i)}`);
        const keyOffset = i;
        const key = parseString();
        skipSpace();
        if (text[i] !== ':') fail(`Expected ':' after the key, found ${describe(i)}`);
        i++;
        entries.push({ key, keyOffset, value: parseValue() });
        skipSpace();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return { kind: 'object', offset, entries };
        }
        fail(`Expected ',' or '}' in an object, found ${describe(i)}`);
      }
    }
    if (c === '[') {
      i++;
      const items: JsonNode[] = [];
      skipSpace();
      if (text[i] === ']') {
        i++;
        return { kind: 'array', offset, items };
      }
      for (;;) {
        items.push(parseValue());
        skipSpace();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return { kind: 'array', offset, items };
        }
        fail(`Expected ',' or ']' in an array, found ${describe(i)}`);
      }
    }
    if (c === '"') return { kind: 'string', offset, value: parseString() };
    const literal = /^(?:true|false|null)/.exec(text.slice(i, i + 5));
    if (literal) {
      i += literal[0].length;
      if (literal[0] === 'null') return { kind: 'null', offset };
      return { kind: 'boolean', offset, value: literal[0] === 'true' };
    }
    const number = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/.exec(text.slice(i));
    if (number) {
      i += number[0].length;
      return { kind: 'number', offset, value: Number(number[0]) };
    }
    return fail(`Expected a JSON value, found ${describe(i)}`);
  };

  const root = parseValue();
  skipSpace();
  if (i < text.length) fail(`Unexpected ${describe(i)} after the end of the JSON value`);
  return root;
}

/** The plain JavaScript value of a node (what `JSON.parse` would give). */
export function toPlain(node: JsonNode): unknown {
  switch (node.kind) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const entry of node.entries) out[entry.key] = toPlain(entry.value);
      return out;
    }
    case 'array':
      return node.items.map(toPlain);
    case 'null':
      return null;
    default:
      return node.value;
  }
}

/** The node at a path of keys and indexes, or the deepest one found on the way. */
export function nodeAt(root: JsonNode, path: readonly PropertyKey[]): JsonNode {
  let node = root;
  for (const key of path) {
    let next: JsonNode | undefined;
    if (node.kind === 'array' && typeof key === 'number') next = node.items[key];
    if (node.kind === 'object') {
      const entries = node.entries.filter((entry) => entry.key === key);
      next = entries[entries.length - 1]?.value;
    }
    if (!next) return node;
    node = next;
  }
  return node;
}

/** 1-based line and column of a 0-based offset. Lines end at `\n` (a `\r\n` counts once). */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let k = 0; k < offset && k < text.length; k++) {
    if (text[k] === '\n') {
      line++;
      lineStart = k + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
