/** How a string value is written in the source. */
export type ScalarStyle = 'double' | 'single' | 'plain' | 'block';

/**
 * For a string written at `start` in `source`, returns the source offset of
 * each UTF-16 unit of its value, so that "at position N" in a rule (1-based)
 * can be shown at the exact column of the file. Escapes (`\"`, `\u00e9`,
 * YAML's `''`) are accounted for; block scalars map to their first character.
 */
export function scalarOffsets(source: string, start: number, style: ScalarStyle): number[] {
  if (style === 'double') return doubleQuoted(source, start);
  if (style === 'single') return singleQuoted(source, start);
  if (style === 'plain') return plain(source, start);
  return [];
}

function doubleQuoted(source: string, start: number): number[] {
  const offsets: number[] = [];
  let i = start + 1;
  while (i < source.length && source[i] !== '"') {
    const at = i;
    let units = 1;
    if (source[i] === '\\') {
      const e = source[i + 1];
      if (e === 'u') i += 6;
      else if (e === 'U') {
        const cp = Number.parseInt(source.slice(i + 2, i + 10), 16);
        units = cp > 0xffff ? 2 : 1;
        i += 10;
      } else if (e === 'x') i += 4;
      else if (e === '\n' || e === '\r') {
        i = skipLineBreak(source, i + 1);
        continue;
      } else i += 2;
    } else if (source[i] === '\n' || source[i] === '\r') {
      i = skipLineBreak(source, i);
    } else {
      units = (source.codePointAt(i) ?? 0) > 0xffff ? 2 : 1;
      i += units;
    }
    for (let k = 0; k < units; k++) offsets.push(at);
  }
  return offsets;
}

function singleQuoted(source: string, start: number): number[] {
  const offsets: number[] = [];
  let i = start + 1;
  while (i < source.length) {
    if (source[i] === "'") {
      if (source[i + 1] !== "'") break;
      offsets.push(i);
      i += 2;
      continue;
    }
    offsets.push(i);
    i += 1;
  }
  return offsets;
}

function plain(source: string, start: number): number[] {
  const offsets: number[] = [];
  for (let i = start; i < source.length && source[i] !== '\n' && source[i] !== '\r'; i++) {
    offsets.push(i);
  }
  return offsets;
}

function skipLineBreak(source: string, at: number): number {
  let i = at;
  if (source[i] === '\r') i += 1;
  if (source[i] === '\n') i += 1;
  while (source[i] === ' ' || source[i] === '\t') i += 1;
  return i;
}
