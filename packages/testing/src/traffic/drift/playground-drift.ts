import type { StreamFamily } from '@birdstream/core';
import type { Framing } from '../../stream/framing.js';
import { USER_COMPLIANCE_EVENT_KINDS } from '../feeds/compliance-feeds.js';
import { hashKeys } from '../prng.js';

/**
 * Payload shapes the emulator serves:
 * - `'none'`: X's API as its spec says;
 * - `'playground'`: as X's own local emulator (the xdevplatform playground)
 *   serves them, recorded from it (see the fixtures' `x-playground/`): its
 *   framing per stream, and the shapes that differ from the spec.
 */
export type PayloadDrift = 'none' | 'playground';

/** Every value of {@link PayloadDrift}, for option checks and help texts. */
export const PAYLOAD_DRIFTS: readonly PayloadDrift[] = ['none', 'playground'];

/** How the playground serves one stream family. */
interface PlaygroundVariant {
  /** Its framing (bare `\n` on every stream, SSE on the likes compliance stream). */
  framing: Framing;
  /** Its shape of item `n` (the spec's `message`), or the message unchanged. */
  reshape?(message: Record<string, unknown>, n: number, seed: number): Record<string, unknown>;
}

type Json = Record<string, unknown>;

/** The playground's envelope on compliance streams: `created_at` (seconds) and an `id` beside `data`. */
function envelope(message: Json, eventAt: unknown): Json {
  const time = typeof eventAt === 'string' ? Date.parse(eventAt) : Number.NaN;
  if (Number.isNaN(time)) return message;
  return {
    created_at: `${new Date(time).toISOString().slice(0, 19)}Z`,
    ...message,
    id: String(Math.floor(time)),
  };
}

/** A 32-digit hex like id, as the playground writes them, from `n` and the seed. */
function likeId(seed: number, n: number): string {
  let hex = '';
  for (let i = 0; i < 4; i++)
    hex += (hashKeys(seed, 0x11ce, n, i) >>> 0).toString(16).padStart(8, '0');
  return hex;
}

/**
 * Each family as the playground serves it (recorded 2026-12-06):
 * likes carry `timestamp_ms` as a numeric string; an unlike is
 * `delete.like` (the like's id, the liked post and its author) on an SSE
 * stream; the users compliance stream sends counters by event kind instead
 * of events; the label stream sends `created_at` and `id` and no `data`; an
 * Activity event comes with an `errors` item without `type` or `title`.
 */
export const PLAYGROUND: Record<StreamFamily, PlaygroundVariant> = {
  posts: { framing: 'lf' },
  likes: {
    framing: 'lf',
    reshape(message) {
      const data = message.data as Json | undefined;
      if (typeof data?.timestamp_ms !== 'number') return message;
      return { ...message, data: { ...data, timestamp_ms: String(data.timestamp_ms) } };
    },
  },
  'tweet-compliance': {
    framing: 'lf',
    reshape(message) {
      const body = Object.values((message.data as Json | undefined) ?? {})[0] as Json | undefined;
      return envelope(message, body?.event_at);
    },
  },
  'user-compliance': {
    framing: 'lf',
    reshape(_message, n) {
      // Counters by event kind (events of each kind so far), not an event.
      const counters: Json = {};
      const kinds = USER_COMPLIANCE_EVENT_KINDS.length;
      for (const [i, kind] of USER_COMPLIANCE_EVENT_KINDS.entries()) {
        if (n >= i) counters[kind] = Math.floor((n - i) / kinds) + 1;
      }
      return { data: counters };
    },
  },
  'like-compliance': {
    framing: 'sse',
    reshape(message, n, seed) {
      const del = (message.data as { delete?: Json } | undefined)?.delete;
      const favorite = del?.favorite as { id?: string; user_id?: string } | undefined;
      if (del === undefined || favorite?.id === undefined) return message;
      return envelope(
        {
          data: {
            delete: {
              event_at: del.event_at,
              like: {
                id: likeId(seed, n),
                liked_tweet_author_id: favorite.user_id,
                liked_tweet_id: favorite.id,
              },
            },
          },
        },
        del.event_at,
      );
    },
  },
  labels: {
    framing: 'lf',
    reshape(message) {
      const body = Object.values((message.data as Json | undefined) ?? {})[0] as Json | undefined;
      const time = typeof body?.event_at === 'string' ? Date.parse(body.event_at) : 0;
      return {
        created_at: `${new Date(time).toISOString().slice(0, 19)}Z`,
        id: String(Math.floor(time)),
      };
    },
  },
  activity: {
    framing: 'lf',
    reshape(message) {
      const data = message.data as Json | undefined;
      const id = typeof data?.event_uuid === 'string' ? data.event_uuid : '0';
      return { ...message, errors: [{ created_at: new Date(0).toISOString(), id }] };
    },
  },
};

/** The framing a stream of `family` is served in: the playground's under `'playground'` drift unless one was chosen. */
export function framingFor(
  family: string,
  drift: PayloadDrift,
  chosen: Framing | undefined,
): Framing {
  if (chosen !== undefined) return chosen;
  return drift === 'playground' ? PLAYGROUND[family as StreamFamily].framing : 'crlf';
}

/** Item `n`'s message as served under `drift`. */
export function reshapeFor(
  family: string,
  drift: PayloadDrift,
  message: Record<string, unknown>,
  n: number,
  seed: number,
): Record<string, unknown> {
  if (drift === 'none') return message;
  return PLAYGROUND[family as StreamFamily].reshape?.(message, n, seed) ?? message;
}
