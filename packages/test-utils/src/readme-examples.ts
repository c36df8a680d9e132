/** The ```ts blocks of a README, in order. */
export function tsBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
}

/**
 * The lines of code that must stand in a compiled copy of an example:
 * trimmed, without blank lines, imports (the copy hoists them) or
 * `biome-ignore` comments (the copy may need them to keep a line as written).
 */
export function codeLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(
      (line) => line !== '' && !line.startsWith('import ') && !line.startsWith('// biome-ignore'),
    );
}

/**
 * True when every line of `example` stands in `compiled`, in order and
 * unbroken (both read with `codeLines`): the README example is the code
 * the type tests compile, verbatim.
 */
export function compiledVerbatim(compiled: string, example: string): boolean {
  const haystack = codeLines(compiled);
  const needle = codeLines(example);
  for (let start = 0; start + needle.length <= haystack.length; start++) {
    if (needle.every((line, i) => haystack[start + i] === line)) return true;
  }
  return false;
}
