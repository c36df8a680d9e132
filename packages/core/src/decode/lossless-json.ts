/**
 * Lossless JSON for X payloads: integers of 16 or more digits that arrive as
 * JSON numbers (real recordings have `matching_rules[].id` as a 19-digit
 * number) are turned into strings before `JSON.parse`, so they keep every
 * digit instead of being rounded to the nearest double (2^53 ≈ 9.0e15).
 *
 * Node 20 has no `JSON.parse` source access, so this works on the text:
 * a cheap pre-test, and only when it hits, a string-aware scan.
 */

/** Integers with at least this many digits are quoted (every id above 2^53 has 16+). */
export const MIN_QUOTED_DIGITS = 16;

/**
 * 16 digits followed by a character that can end a JSON number outside a
 * string (`,` `}` `]` or whitespace). A quoted id ends in `"` and a number in
 * a URL ends in `/`, `?` or `"`, so ordinary posts never match. The 16 `\d`
 * are written out: V8 then skips ahead 16 characters at a time (Boyer-Moore
 * lookahead), which a `\d{16}` quantifier does not get; this costs ~0.25 ns
 * per character, against ~3 ns for `JSON.parse`.
 */
const BIG_INTEGER_HINT = new RegExp(`${'\\d'.repeat(MIN_QUOTED_DIGITS)}[,}\\]\\s]`);

const BACKSLASH = 0x5c; // \
const MINUS = 0x2d; // -
const ZERO = 0x30;
const NINE = 0x39;
const DOT = 0x2e;
const LOWER_E = 0x65;
const UPPER_E = 0x45;
const PLUS = 0x2b;

/**
 * Cheap pre-test: could `text` hold an unquoted integer of 16+ digits? False
 * means certainly not. True may be a false alarm (such digits inside a string,
 * followed by a space or comma): {@link quoteBigIntegers} then changes nothing.
 */
export function mayHaveBigInteger(text: string): boolean {
  return BIG_INTEGER_HINT.test(text) || endsWithBigInteger(text);
}

/** The pattern needs a character after the digits: a number that ends the text is checked here. */
function endsWithBigInteger(text: string): boolean {
  const length = text.length;
  if (length < MIN_QUOTED_DIGITS) return false;
  for (let i = length - MIN_QUOTED_DIGITS; i < length; i++) {
    if (!isDigit(text.charCodeAt(i))) return false;
  }
  return true;
}

/** The same pattern, global: finds every candidate in one pass. */
const BIG_INTEGER_CANDIDATES = new RegExp(BIG_INTEGER_HINT.source, 'g');

/**
 * Wraps every unquoted, non-negative integer of 16+ digits in quotes. Digits
 * inside strings (escaped quotes included), negative numbers, fractions and
 * exponents are left alone. Returns `text` itself when nothing changed.
 * Malformed JSON is returned with at most such quoting done: `JSON.parse`
 * reports it.
 *
 * Candidates come from the same fast pattern as the pre-test. Whether one sits
 * inside a string is decided by the parity of unescaped `"` before it: inside
 * a JSON string every `"` is escaped, so the count is exact for valid JSON.
 * The quotes are counted from whichever end of the text is nearer (X puts
 * `matching_rules` last), so the cost stays far below a full tokenisation.
 *
 * @example
 * quoteBigIntegers('{"id":1377650081780703234,"n":5}')
 * // '{"id":"1377650081780703234","n":5}'
 */
export function quoteBigIntegers(text: string): string {
  BIG_INTEGER_CANDIDATES.lastIndex = 0;
  return quoteCandidates(text);
}

/**
 * `JSON.parse`, except that integers of 16+ digits outside strings come out as
 * exact strings. Throws `SyntaxError` like `JSON.parse`.
 */
export function parseJsonLossless(text: string): unknown {
  // The pre-test, run with the global pattern so that the scan for further
  // candidates resumes after the first one instead of starting over.
  const candidates = BIG_INTEGER_CANDIDATES;
  candidates.lastIndex = 0;
  if (candidates.test(text)) {
    candidates.lastIndex -= MIN_QUOTED_DIGITS + 1; // back to the start of the match
    return JSON.parse(quoteCandidates(text));
  }
  if (endsWithBigInteger(text)) return JSON.parse(quoteCandidates(text));
  return JSON.parse(text);
}

/** Quotes the candidates found by `BIG_INTEGER_CANDIDATES` from its `lastIndex` on. */
function quoteCandidates(text: string): string {
  const length = text.length;
  const candidates = BIG_INTEGER_CANDIDATES;
  let out = '';
  let copied = 0;
  // Forward quote counting resumes where it stopped for the previous candidate.
  let scannedTo = 0;
  let quotesBefore = 0;
  let atEnd = false;
  while (!atEnd) {
    let end: number; // index of the character after the digits
    if (candidates.test(text)) {
      end = candidates.lastIndex - 1;
    } else if (endsWithBigInteger(text)) {
      end = length;
      atEnd = true;
    } else {
      break;
    }
    let start = end - MIN_QUOTED_DIGITS;
    while (start > 0 && isDigit(text.charCodeAt(start - 1))) start--;
    if (isNumberPrefix(text.charCodeAt(start - 1))) continue; // negative, fraction, exponent
    let inString: boolean;
    if (start - scannedTo <= length - end) {
      quotesBefore += countUnescapedQuotes(text, scannedTo, start);
      scannedTo = start;
      inString = quotesBefore % 2 === 1;
    } else {
      // Valid JSON has an even number of unescaped quotes, so the parity after
      // the digits equals the parity before them (invalid JSON fails to parse anyway).
      inString = countUnescapedQuotes(text, end, length) % 2 === 1;
    }
    if (inString) continue;
    out += `${text.slice(copied, start)}"${text.slice(start, end)}"`;
    copied = end;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** How many `"` in `text[from, to)` are not escaped by a backslash. */
function countUnescapedQuotes(text: string, from: number, to: number): number {
  let count = 0;
  let at = text.indexOf('"', from);
  while (at !== -1 && at < to) {
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) count++;
    at = text.indexOf('"', at + 1);
  }
  return count;
}

function isDigit(c: number): boolean {
  return c >= ZERO && c <= NINE;
}

/** A character before the digits that makes them part of a negative, fractional or exponent number. */
function isNumberPrefix(c: number): boolean {
  return c === MINUS || c === DOT || c === LOWER_E || c === UPPER_E || c === PLUS;
}
