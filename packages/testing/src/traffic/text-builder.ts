import type { GenEntities, GenEntityUrl } from './model.js';

/** Code points in a string (X's entity indices count code points, not UTF-16 units). */
export function codePointLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/**
 * Builds a post's text piece by piece and records the entities (hashtags,
 * mentions, cashtags, URLs) with X's zero-based, end-exclusive code point
 * indices.
 */
export class TextBuilder {
  private text = '';
  private length = 0;
  readonly hashtags: NonNullable<GenEntities['hashtags']> = [];
  readonly cashtags: NonNullable<GenEntities['cashtags']> = [];
  readonly mentions: NonNullable<GenEntities['mentions']> = [];
  readonly urls: GenEntityUrl[] = [];

  /** Current length in code points. */
  get position(): number {
    return this.length;
  }

  add(piece: string): this {
    this.text += piece;
    this.length += codePointLength(piece);
    return this;
  }

  hashtag(tag: string): this {
    const start = this.length;
    this.add(`#${tag}`);
    this.hashtags.push({ start, end: this.length, tag });
    return this;
  }

  cashtag(tag: string): this {
    const start = this.length;
    this.add(`$${tag}`);
    this.cashtags.push({ start, end: this.length, tag });
    return this;
  }

  mention(username: string, id: string): this {
    const start = this.length;
    this.add(`@${username}`);
    this.mentions.push({ start, end: this.length, username, id });
    return this;
  }

  url(entity: Omit<GenEntityUrl, 'start' | 'end'>): this {
    const start = this.length;
    this.add(entity.url);
    this.urls.push({ start, end: this.length, ...entity });
    return this;
  }

  /** Appends another post's text, shifting its entities to their new place. */
  embed(text: string, entities: GenEntities | undefined): this {
    const offset = this.length;
    this.add(text);
    const shift = <T extends { start: number; end: number }>(list: T[] | undefined, into: T[]) => {
      for (const e of list ?? []) into.push({ ...e, start: e.start + offset, end: e.end + offset });
    };
    shift(entities?.hashtags, this.hashtags);
    shift(entities?.cashtags, this.cashtags);
    shift(entities?.mentions, this.mentions);
    shift(entities?.urls, this.urls);
    return this;
  }

  build(): { text: string; entities: GenEntities | undefined } {
    const entities: GenEntities = {};
    if (this.hashtags.length) entities.hashtags = this.hashtags;
    if (this.cashtags.length) entities.cashtags = this.cashtags;
    if (this.mentions.length) entities.mentions = this.mentions;
    if (this.urls.length) entities.urls = this.urls;
    return { text: this.text, entities: Object.keys(entities).length ? entities : undefined };
  }
}
