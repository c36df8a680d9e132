/**
 * The post id of a value flowing through a birdstream pipeline: a `response`
 * event (`response.data.id`), a response (`data.id`), a hydrated post
 * (`post.id`) or a post (`id`). `undefined` for anything else (keep-alives
 * and other lifecycle events), which is never treated as a duplicate.
 */
export function postIdOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as {
    type?: unknown;
    response?: { data?: { id?: unknown } };
    data?: { id?: unknown };
    post?: { id?: unknown };
    id?: unknown;
  };
  if (v.type !== undefined) {
    return v.type === 'response' ? asId(v.response?.data?.id) : undefined;
  }
  return asId(v.data?.id) ?? asId(v.post?.id) ?? asId(v.id);
}

function asId(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
