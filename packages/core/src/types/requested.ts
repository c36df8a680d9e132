/**
 * The values a parameter list certainly contains: the elements of a literal
 * tuple (`['created_at', 'lang']`, as inferred from a literal argument). A
 * wide array type (`TweetField[]`) may be empty, so it guarantees nothing.
 */
type Listed<List> = List extends readonly unknown[]
  ? number extends List['length']
    ? never
    : List[number]
  : never;

/** The values certainly requested in `Params[Key]` (`never` when absent or not literal). */
export type Requested<Params, Key extends string> = Params extends {
  readonly [K in Key]?: infer List;
}
  ? Listed<NonNullable<List>>
  : never;

/** `T` with the keys `Keys` present and not `undefined`. */
export type WithRequired<T, Keys extends PropertyKey> = Simplify<
  Omit<T, Keys> & { [K in Keys & keyof T]-?: Exclude<T[K], undefined> }
>;

/** Flattens an intersection into one object type (readable hovers). */
export type Simplify<T> = { [K in keyof T]: T[K] } & {};
