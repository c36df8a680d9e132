import type {
  FavoriteDeleteEventBody,
  LikeComplianceData,
  LikeDeleteEventBody,
  ScrubGeoEventBody,
  TweetComplianceData,
  TweetComplianceEventBody,
  TweetEditEventBody,
  TweetWithheldEventBody,
  UserComplianceData,
  UserComplianceEventBody,
  UserProfileModificationEventBody,
  UserWithheldEventBody,
} from './compliance.js';
import { TWEET_COMPLIANCE_KINDS, USER_COMPLIANCE_KINDS } from './compliance.js';

/**
 * A compliance event as a discriminated union on `kind`: the key X wrapped
 * it in (`delete`, `withheld`, `user_suspend`, …; an unlike from the likes
 * compliance stream is `favorite_delete`, since its wire key `delete` is
 * also the tweet stream's; `delete.favorite` and `delete.like` alike), with
 * that key's body as `event`. `objectId` is the id the event is about (the
 * post, the account, or the liked post).
 */
export type ComplianceEvent =
  | { kind: 'delete' | 'drop' | 'undrop'; objectId: string; event: TweetComplianceEventBody }
  | { kind: 'withheld'; objectId: string; event: TweetWithheldEventBody }
  | { kind: 'tweet_edit'; objectId: string; event: TweetEditEventBody }
  | {
      kind:
        | 'user_protect'
        | 'user_unprotect'
        | 'user_delete'
        | 'user_undelete'
        | 'user_suspend'
        | 'user_unsuspend';
      objectId: string;
      event: UserComplianceEventBody;
    }
  | { kind: 'user_withheld'; objectId: string; event: UserWithheldEventBody }
  | { kind: 'scrub_geo'; objectId: string; event: ScrubGeoEventBody }
  | {
      kind: 'user_profile_modification';
      objectId: string;
      event: UserProfileModificationEventBody;
    }
  | {
      kind: 'favorite_delete';
      objectId: string;
      /** As the spec sends it (`favorite`) or as X's emulator does (`like`). */
      event: FavoriteDeleteEventBody | LikeDeleteEventBody;
    };

/** Every compliance event kind, as `complianceEvent()` names them. */
export type ComplianceEventKind = ComplianceEvent['kind'];

/** Every compliance event kind birdstream knows, tweet events first, then user events, then `favorite_delete`. */
export const COMPLIANCE_EVENT_KINDS = [
  ...Object.keys(TWEET_COMPLIANCE_KINDS),
  ...Object.keys(USER_COMPLIANCE_KINDS),
  'favorite_delete',
] as readonly ComplianceEventKind[];

const KNOWN_WIRE_KINDS: ReadonlySet<string> = new Set([
  ...Object.keys(TWEET_COMPLIANCE_KINDS),
  ...Object.keys(USER_COMPLIANCE_KINDS),
]);

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function idOf(value: unknown): string | undefined {
  const id = record(value)?.id;
  return typeof id === 'string' ? id : undefined;
}

/**
 * Tells which compliance event a message's `data` holds, as a
 * {@link ComplianceEvent} you can `switch` on; `undefined` when `data` is
 * not a compliance event birdstream knows (a kind X added since, or with
 * `validate: 'off'`, a malformed one).
 *
 * @example
 * ```ts
 * for await (const { data } of client.tweetsCompliance({ partition: 1 })) {
 *   const event = complianceEvent(data);
 *   if (event?.kind === 'delete') await forget(event.objectId);
 * }
 * ```
 */
export function complianceEvent(
  data: TweetComplianceData | UserComplianceData | LikeComplianceData | undefined,
): ComplianceEvent | undefined {
  const wrapper = record(data);
  if (wrapper === undefined) return undefined;
  for (const [key, value] of Object.entries(wrapper)) {
    const body = record(value);
    if (body === undefined || typeof body.event_at !== 'string') continue;
    if (key === 'delete' && body.favorite !== undefined) {
      const favorite = idOf(body.favorite);
      if (favorite === undefined) continue;
      return {
        kind: 'favorite_delete',
        objectId: favorite,
        event: body as unknown as FavoriteDeleteEventBody,
      };
    }
    if (key === 'delete' && body.like !== undefined) {
      const liked = record(body.like)?.liked_tweet_id;
      if (typeof liked !== 'string' || idOf(body.like) === undefined) continue;
      return {
        kind: 'favorite_delete',
        objectId: liked,
        event: body as unknown as LikeDeleteEventBody,
      };
    }
    if (!KNOWN_WIRE_KINDS.has(key)) continue;
    const objectId = idOf(body.tweet) ?? idOf(body.user);
    if (objectId === undefined) continue;
    return { kind: key, objectId, event: body } as unknown as ComplianceEvent;
  }
  return undefined;
}
