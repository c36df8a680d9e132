/** Where a JSON text stops being valid JSON, and why. */
export interface JsonSyntaxError {
  /** Offset (UTF-16 index) of the offending character. */
  offset: number;
  message: string;
}

const MAX_DEPTH = 512;

/**
 * Checks that `text` is one strict JSON value (RFC 8259) and returns the
 * first error with its exact offset, which `JSON.parse` does not report on
 * every Node version. `undefined` when the text is valid.
 */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  const scanner = new Scanner(text);
  try {
    scanner.skipSpace();
    scanner.value(0);
    scanner.skipSpace();
    if (scanner.pos < text.length)
      scanner.fail('unexpected content after the end of the JSON value');
    return undefined;
  } catch (error) {
    if (error instanceof SyntaxFailure) return { offset: error.offset, message: error.message };
    throw error;
  }
}

class SyntaxFailure extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.offset = offset;
  }
}

class Scanner {
  pos = 0;
  constructor(private readonly text: string) {}

  fail(message: string, at = this.pos): never {
    throw new SyntaxFailure(message, at);
  }

  skipSpace(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) this.pos += 1;
      else break;
    }
  }

  value(depth: number): void {
    if (depth > MAX_DEPTH) this.fail('the JSON is nested too deeply');
    const c = this.text[this.pos];
    if (c === undefined) this.fail('unexpected end of file: a value was expected');
    if (c === '{') this.object(depth);
    else if (c === '[') this.array(depth);
    else if (c === '"') this.string();
    else if (c === '-' || (c >= '0' && c <= '9')) this.number();
    else this.literal(c);
  }

  private literal(c: string): void {
    for (const word of ['true', 'false', 'null']) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return;
      }
    }
    this.fail(`unexpected ${describe(c)}: a value was expected`);
  }

  private object(depth: number): void {
    this.pos += 1;
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos += 1;
      return;
    }
    for (;;) {
      this.skipSpace();
      const c = this.text[this.pos];
      if (c !== '"') {
        if (c === '}') this.fail('trailing comma: JSON does not allow a comma before }');
        this.fail(
          c === undefined
            ? 'unexpected end of file inside an object'
            : `unexpected ${describe(c)}: a "quoted" key was expected`,
        );
      }
      this.string();
      this.skipSpace();
      if (this.text[this.pos] !== ':') this.expected("':' after the key");
      this.pos += 1;
      this.skipSpace();
      this.value(depth + 1);
      this.skipSpace();
      const next = this.text[this.pos];
      if (next === ',') {
        this.pos += 1;
        continue;
      }
      if (next === '}') {
        this.pos += 1;
        return;
      }
      this.expected("',' or '}' after a value in an object");
    }
  }

  private array(depth: number): void {
    this.pos += 1;
    this.skipSpace();
    if (this.text[this.pos] === ']') {
      this.pos += 1;
      return;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === ']')
        this.fail('trailing comma: JSON does not allow a comma before ]');
      this.value(depth + 1);
      this.skipSpace();
      const next = this.text[this.pos];
      if (next === ',') {
        this.pos += 1;
        continue;
      }
      if (next === ']') {
        this.pos += 1;
        return;
      }
      this.expected("',' or ']' after a value in a list");
    }
  }

  private string(): void {
    const t = this.text;
    const start = this.pos;
    this.pos += 1;
    for (;;) {
      if (this.pos >= t.length) this.fail('unterminated string', start);
      const c = t.charCodeAt(this.pos);
      if (c === 0x22) {
        this.pos += 1;
        return;
      }
      if (c < 0x20) {
        this.fail(
          c === 0x0a
            ? 'unterminated string (a line break must be written \\n)'
            : 'control character in a string',
        );
      }
      if (c === 0x5c) {
        const e = t[this.pos + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(t.slice(this.pos + 2, this.pos + 6))) {
            this.fail('invalid \\u escape: four hex digits expected');
          }
          this.pos += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) this.fail(`invalid escape \\${e ?? ''}`);
        this.pos += 2;
        continue;
      }
      this.pos += 1;
    }
  }

  private number(): void {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(
      this.text.slice(this.pos, this.pos + 400),
    );
    if (!match) this.fail('invalid number');
    this.pos += match[0].length;
  }

  private expected(what: string): never {
    const c = this.text[this.pos];
    this.fail(
      c === undefined
        ? `unexpected end of file: expected ${what}`
        : `unexpected ${describe(c)}: expected ${what}`,
    );
  }
}

function describe(char: string): string {
  if (char === '\n' || char === '\r') return 'line break';
  if (char === "'") return "' (JSON strings use double quotes)";
  return `'${char}'`;
}
