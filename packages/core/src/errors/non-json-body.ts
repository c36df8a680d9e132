/**
 * Short, clean texts for error bodies that are not JSON problems: a proxy's
 * or load balancer's HTML page, or a line of plain text. The markup of a
 * page never reaches a message; its `<title>` at most does.
 */

/** The reason phrases of the statuses a stream or rules request can meet. */
const REASON_PHRASES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  407: 'Proxy Authentication Required',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** Longest title or plain text quoted in a message. */
const MAX_QUOTED = 120;

/** The standard reason phrase of an HTTP status (`502` → `Bad Gateway`); `undefined` when unknown. */
export function reasonPhrase(status: number): string | undefined {
  return REASON_PHRASES[status];
}

/** True when the body is markup (HTML or XML), by its content type or its first characters. */
function isMarkup(bodyText: string, contentType?: string): boolean {
  if (contentType !== undefined && /\b(html|xml)\b/i.test(contentType)) return true;
  return /^\s*<(?:!doctype|html|head|body|\?xml|[a-z][a-z0-9]*[\s>])/i.test(bodyText);
}

/** The text of a page's `<title>`, entities decoded and whitespace collapsed; `undefined` without one. */
function pageTitle(html: string): string | undefined {
  const match = /<title\b[^>]*>([\s\S]*?)<\/title\s*>/i.exec(html);
  if (!match?.[1]) return undefined;
  const text = collapse(decodeEntities(match[1].replace(/<[^>]*>/g, ' ')));
  return text === '' ? undefined : shorten(text);
}

/**
 * What a message says about a body that is not a JSON problem: the page
 * title of markup (never the markup), or the first characters of plain
 * text; `''` when there is nothing worth quoting.
 */
export function describeNonJsonBody(bodyText: string, contentType?: string): string {
  if (isMarkup(bodyText, contentType)) {
    const title = pageTitle(bodyText);
    return title === undefined ? '' : `"${title}"`;
  }
  return shorten(collapse(bodyText));
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function shorten(text: string): string {
  return text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}…` : text;
}

const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (entity, name: string) => {
    if (name[0] === '#') {
      const code =
        name[1] === 'x' || name[1] === 'X'
          ? Number.parseInt(name.slice(2), 16)
          : Number(name.slice(1));
      return Number.isInteger(code) && code > 0 && code < 0x110000
        ? String.fromCodePoint(code)
        : entity;
    }
    return NAMED[name.toLowerCase()] ?? entity;
  });
}
