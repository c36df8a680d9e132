import type { LocatedEntry, LocatedNode, LocatedString } from './located-node.js';

/**
 * Invalid JSON: `detail` says what is wrong (`trailing comma: …`), `offset`
 * (0-based) is the offending character.
 */
export class JsonSyntaxError extends Error {
  override name = 'JsonSyntaxError';
  constructor(
    readonly detail: string,
    readonly offset: number,
  ) {
    super(`Invalid JSON: ${detail}.`);
  }
}

/** Deeper nesting is refused rather than risking the call stack; no rules file needs it. */
const MAX_DEPTH = 512;

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const HEX4 = /^[0-9a-fA-F]{4}$/;

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

/**
 * Parses exactly one JSON value (RFC 8259, plus a leading byte order mark)
 * into a {@link LocatedNode} tree. Stricter than `JSON.parse` in one way: a
 * key repeated in an object is an error (a hand-written file means one of the
 * two). Throws {@link JsonSyntaxError} at the first mistake, named for what a
 * person would fix (a trailing comma, single quotes, a raw line break in a
 * string), at its exact offset.
 */
export function parseLocatedJson(text: string): LocatedNode {
  return new JsonReader(text).document();
}

class JsonReader {
  private pos: number;

  constructor(private readonly text: string) {
    this.pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  }

  document(): LocatedNode {
    this.space();
    const root = this.value(0);
    this.space();
    if (this.pos < this.text.length)
      this.fail('unexpected content after the end of the JSON value');
    return root;
  }

  private fail(detail: string, at = this.pos): never {
    throw new JsonSyntaxError(detail, at);
  }

  private space(): void {
    const t = this.text;
    for (;;) {
      const c = t.charCodeAt(this.pos);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return;
      this.pos += 1;
    }
  }

  private value(depth: number): LocatedNode {
    if (depth > MAX_DEPTH) this.fail('the JSON is nested too deeply');
    const c = this.text[this.pos];
    if (c === undefined) this.fail('unexpected end of file: a value was expected');
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"') return this.string();
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    return this.literal(c);
  }

  private literal(c: string): LocatedNode {
    const offset = this.pos;
    if (this.text.startsWith('null', offset)) {
      this.pos += 4;
      return { kind: 'null', offset };
    }
    for (const [word, value] of [
      ['true', true],
      ['false', false],
    ] as const) {
      if (this.text.startsWith(word, offset)) {
        this.pos += word.length;
        return { kind: 'boolean', offset, value };
      }
    }
    return this.fail(`unexpected ${describe(c)}: a value was expected`);
  }

  private number(): LocatedNode {
    const offset = this.pos;
    NUMBER.lastIndex = offset;
    const match = NUMBER.exec(this.text);
    if (!match) this.fail('invalid number');
    this.pos += match[0].length;
    return { kind: 'number', offset, value: Number(match[0]) };
  }

  private object(depth: number): LocatedNode {
    const offset = this.pos;
    const keys = new Set<string>();
    const entries = this.members('}', 'an object', (): LocatedEntry => {
      const keyOffset = this.pos;
      const c = this.text[keyOffset];
      if (c === undefined) this.fail('unexpected end of file inside an object');
      if (c !== '"') this.fail(`unexpected ${describe(c)}: a "quoted" key was expected`);
      const key = this.string().value;
      if (keys.has(key)) {
        this.fail(`duplicate key "${key}": a key may appear only once in an object`, keyOffset);
      }
      keys.add(key);
      this.space();
      if (this.text[this.pos] !== ':') this.expected("':' after the key");
      this.pos += 1;
      this.space();
      return { key, keyOffset, value: this.value(depth + 1) };
    });
    return { kind: 'object', offset, entries };
  }

  private array(depth: number): LocatedNode {
    const offset = this.pos;
    const items = this.members(']', 'a list', () => this.value(depth + 1));
    return { kind: 'array', offset, items };
  }

  /**
   * The members of an object or an array, from its opening bracket past its
   * closing one. `member` reads one, starting at a character that is neither
   * a space nor the closing bracket.
   */
  private members<T>(close: '}' | ']', container: string, member: () => T): T[] {
    const members: T[] = [];
    this.pos += 1;
    this.space();
    if (this.text[this.pos] === close) {
      this.pos += 1;
      return members;
    }
    for (;;) {
      this.space();
      if (this.text[this.pos] === close) {
        this.fail(`trailing comma: JSON does not allow a comma before ${close}`);
      }
      members.push(member());
      this.space();
      const c = this.text[this.pos];
      if (c === close) {
        this.pos += 1;
        return members;
      }
      if (c !== ',') this.expected(`',' or '${close}' after a value in ${container}`);
      this.pos += 1;
    }
  }

  private expected(what: string): never {
    const c = this.text[this.pos];
    return this.fail(
      c === undefined
        ? `unexpected end of file: expected ${what}`
        : `unexpected ${describe(c)}: expected ${what}`,
    );
  }

  /**
   * A string at its opening quote. Verbatim runs are sliced, not copied
   * character by character; `units` is only built once an escape makes the
   * source and the value differ.
   */
  private string(): LocatedString {
    const t = this.text;
    const offset = this.pos;
    let value = '';
    let units: number[] | undefined;
    let run = offset + 1;
    const flush = (end: number) => {
      value += t.slice(run, end);
      if (units) for (let k = run; k < end; k++) units.push(k);
    };
    for (this.pos = run; ; ) {
      const c = t.charCodeAt(this.pos);
      if (Number.isNaN(c)) this.fail('unterminated string', offset);
      if (c === 0x22) break;
      if (c < 0x20) {
        this.fail(
          c === 0x0a
            ? 'unterminated string (a line break must be written \\n)'
            : 'control character in a string',
        );
      }
      if (c !== 0x5c) {
        this.pos += 1;
        continue;
      }
      units ??= [];
      flush(this.pos);
      const backslash = this.pos;
      value += this.escape();
      units.push(backslash);
      run = this.pos;
    }
    flush(this.pos);
    this.pos += 1;
    return units ? { kind: 'string', offset, value, units } : { kind: 'string', offset, value };
  }

  /** One escape at a backslash: its single UTF-16 unit (a surrogate pair is two escapes). */
  private escape(): string {
    const e = this.text[this.pos + 1];
    if (e === 'u') {
      const hex = this.text.slice(this.pos + 2, this.pos + 6);
      if (!HEX4.test(hex)) this.fail('invalid \\u escape: four hex digits expected');
      this.pos += 6;
      return String.fromCharCode(Number.parseInt(hex, 16));
    }
    const decoded = e === undefined ? undefined : ESCAPES[e];
    if (decoded === undefined) this.fail(`invalid escape \\${e ?? ''}`);
    this.pos += 2;
    return decoded;
  }
}

/** A character as a message names it. */
function describe(char: string): string {
  if (char === '\n' || char === '\r') return 'line break';
  if (char === "'") return "' (JSON strings use double quotes)";
  return `'${char}'`;
}
