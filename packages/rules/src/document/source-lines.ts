/** A 1-based line and column in a document. */
export interface DocumentPosition {
  /** 1-based line; lines end at `\n` (a `\r\n` counts once). */
  line: number;
  /** 1-based column, in UTF-16 code units; a leading byte order mark is not a column. */
  column: number;
}

/** Turns offsets in one text into lines and columns (a binary search over the line starts). */
export class SourceLines {
  readonly #starts: number[] = [0];
  readonly #bom: boolean;

  constructor(text: string) {
    this.#bom = text.charCodeAt(0) === 0xfeff;
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) {
      this.#starts.push(at + 1);
    }
  }

  /** The line and column of a 0-based offset. */
  at(offset: number): DocumentPosition {
    const starts = this.#starts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    const skipped = low === 0 && this.#bom && offset > 0 ? 1 : 0;
    return { line: low + 1, column: offset - starts[low]! - skipped + 1 };
  }
}
