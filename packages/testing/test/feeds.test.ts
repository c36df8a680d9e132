// biome-ignore-all lint/suspicious/noExplicitAny: the tests read loosely shaped generated JSON
import {
  STREAM_ENDPOINT_TABLE,
  type StreamEndpointInfo,
  type StreamFamily,
} from '@birdstream/core';
import { describe, expect, it } from 'vitest';
import { RuleStore } from '../src/rules/rule-store.js';
import {
  TWEET_COMPLIANCE_EVENT_KINDS,
  USER_COMPLIANCE_EVENT_KINDS,
} from '../src/traffic/feeds/compliance-feeds.js';
import { Feeds } from '../src/traffic/feeds/feeds.js';
import { fieldSelection } from '../src/traffic/field-selection.js';
import { PostSource } from '../src/traffic/post-source.js';
import { Timeline } from '../src/traffic/timeline.js';
import { UserDirectory } from '../src/traffic/users.js';

const START = Date.UTC(2026, 0, 5, 12);

function feeds(seed = 3): Feeds {
  return new Feeds({
    seed,
    startTime: START,
    rate: 10,
    posts: new PostSource(seed, new Timeline(seed, START, 10)),
    users: new UserDirectory(seed),
  });
}

/** The first row of core's endpoint table for `family`. */
function row(family: StreamFamily): StreamEndpointInfo {
  const found = Object.values(STREAM_ENDPOINT_TABLE).find(
    (r: StreamEndpointInfo) => r.family === family,
  );
  if (!found) throw new Error(`no row for ${family}`);
  return found;
}

function messages(f: Feeds, family: StreamFamily, count: number, lists = {}) {
  const request = { row: row(family), selection: fieldSelection(lists), rules: new RuleStore() };
  const out = Array.from({ length: count }, (_, n) => f.of(family).message(n + 1000, request));
  // Every generated message is valid against the row's schema, and has a dedupe identity.
  for (const message of out) {
    const parsed = request.row.schema.safeParse(message);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    expect(request.row.dedupeKey(message)).toEqual(expect.any(String));
  }
  return out;
}

describe('feeds of the stream families', () => {
  it('tweet compliance: every kind in any run of five events, about real posts of the timeline', () => {
    const events = messages(feeds(), 'tweet-compliance', 5) as { data: Record<string, any> }[];
    expect(events.map((e) => Object.keys(e.data)[0]).sort()).toEqual(
      [...TWEET_COMPLIANCE_EVENT_KINDS].sort(),
    );
    const withheld = events.find((e) => e.data.withheld)?.data.withheld;
    expect(withheld.withheld_in_countries).toHaveLength(1);
    expect(withheld.tweet.id).toMatch(/^\d{19}$/);
    const edit = events.find((e) => e.data.tweet_edit)?.data.tweet_edit;
    expect(edit.edit_tweet_ids).toContain(edit.tweet.id);
  });

  it('user compliance: every kind of the nine, with their extra fields', () => {
    const events = messages(feeds(), 'user-compliance', 9) as { data: Record<string, any> }[];
    expect(events.map((e) => Object.keys(e.data)[0]).sort()).toEqual(
      [...USER_COMPLIANCE_EVENT_KINDS].sort(),
    );
    const byKind = Object.fromEntries(
      events.map((e) => Object.entries(e.data)[0] as [string, any]),
    );
    expect(byKind.scrub_geo.up_to_tweet_id).toMatch(/^\d+$/);
    expect(byKind.user_profile_modification).toMatchObject({
      profile_field: expect.any(String),
      new_value: expect.any(String),
    });
    expect(byKind.user_withheld.withheld_in_countries).toHaveLength(1);
  });

  it('likes: only requested fields, includes per expansion (liked post, its author)', () => {
    const f = feeds();
    const [bare] = messages(f, 'likes', 1) as {
      data: Record<string, unknown>;
      includes?: unknown;
    }[];
    expect(Object.keys(bare?.data ?? {}).sort()).toEqual([
      'id',
      'liked_tweet_id',
      'tweet_author_id',
    ]);
    expect(bare?.includes).toBeUndefined();
    const [full] = messages(f, 'likes', 1, {
      like: ['created_at', 'timestamp_ms'],
      expansions: ['liked_tweet_id', 'liked_tweet_author_id'],
      user: ['created_at'],
    }) as { data: Record<string, any>; includes: Record<string, any[]> }[];
    expect(full?.data.created_at).toMatch(/Z$/);
    expect(full?.includes.tweets?.[0]?.id).toBe(full?.data.liked_tweet_id);
    expect(full?.includes.users?.[0]).toMatchObject({
      id: full?.data.tweet_author_id,
      created_at: expect.any(String),
    });
  });

  it('labels and activity carry their documented shapes', () => {
    const labels = messages(feeds(), 'labels', 4) as { data: Record<string, any> }[];
    expect(labels.some((l) => l.data.public_tweet_notice?.event_type)).toBe(true);
    expect(labels.some((l) => l.data.public_tweet_unviewable?.application)).toBe(true);
    const activity = messages(feeds(), 'activity', 6) as { data: Record<string, any> }[];
    for (const a of activity) {
      expect(a.data).toMatchObject({
        event_type: expect.any(String),
        event_uuid: expect.stringMatching(/^\d{1,19}$/),
        filter: { user_id: expect.any(String) },
        payload: expect.any(Object),
      });
    }
  });

  it('are deterministic by seed, and each item lives in exactly one partition', () => {
    expect(messages(feeds(7), 'tweet-compliance', 20)).toEqual(
      messages(feeds(7), 'tweet-compliance', 20),
    );
    expect(messages(feeds(7), 'likes', 5)).not.toEqual(messages(feeds(8), 'likes', 5));
    const f = feeds();
    const counts = new Array(4).fill(0);
    for (let n = 0; n < 4000; n++) {
      const p = f.partitionOf('user-compliance', n, 4);
      expect(p).toBeGreaterThanOrEqual(1);
      expect(p).toBeLessThanOrEqual(4);
      counts[p - 1]++;
    }
    for (const c of counts) expect(c).toBeGreaterThan(800);
  });
});
