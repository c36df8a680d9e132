/**
 * An RFC 7807 problem as X sends it (`type`, `title`, optional `detail`, plus
 * type-specific fields such as `connection_issue` or `disconnect_type`).
 */
export interface ProblemDetails {
  type?: string;
  title?: string;
  detail?: string;
  status?: number;
  [field: string]: unknown;
}

/**
 * The problem's name from its `type` URI: the part after `/2/problems/`
 * (`https://api.twitter.com/2/problems/usage-capped` and
 * `https://api.x.com/2/problems/usage-capped` both give `usage-capped`).
 * `undefined` for `about:blank` or a missing type.
 */
export function problemName(type: unknown): string | undefined {
  if (typeof type !== 'string') return undefined;
  const at = type.indexOf('/2/problems/');
  if (at === -1) return undefined;
  const name = type.slice(at + '/2/problems/'.length).replace(/[/?#].*$/, '');
  return name === '' ? undefined : name;
}

/** Parses an error body: a JSON problem, the older `{errors:[{code,message}]}` form, or plain text. */
export function parseProblemBody(text: string): {
  problem: ProblemDetails | undefined;
  text: string;
} {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
        const problem = parsed as ProblemDetails;
        // Legacy form: {"errors":[{"code":88,"message":"Rate limit exceeded"}]}
        if (problem.title === undefined && Array.isArray(problem.errors)) {
          const first = problem.errors[0] as { message?: unknown; code?: unknown } | undefined;
          if (first && typeof first.message === 'string') {
            return { problem: { ...problem, title: first.message, detail: first.message }, text };
          }
        }
        return { problem, text };
      }
    } catch {
      // not JSON after all: fall through to plain text
    }
  }
  return { problem: undefined, text };
}
