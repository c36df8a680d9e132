import { afterEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import { snowflakeTime } from '../src/traffic/snowflake.js';
import { sequenceOf, untilEmulated } from './helpers/emulated-time.js';
import { rawRequest, SAMPLE, STREAM } from './helpers/raw-stream.js';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

function consecutive(ids: string[]): boolean {
  return ids.every(
    (id, i) => i === 0 || sequenceOf(id) === (sequenceOf(ids[i - 1] as string) + 1) % 4096,
  );
}

describe('backfill_minutes', () => {
  it('replays the last N emulated minutes on connect, duplicates included, before the live posts', async () => {
    emu = await startEmulator({ seed: 8, rate: 5, timeScale: 200 });
    // Let a little more than a minute of timeline exist.
    await untilEmulated(emu, emu.clock.now() + 70_000);
    const first = await rawRequest(emu.url, SAMPLE);
    await first.until(() => first.postIds().length >= 10);
    // From the close to the reconnect at ×10, so that real delays stay small in emulated time:
    // at ×200, a busy machine took 2 real seconds to see the close (385 emulated ones), and
    // nothing of the first connection was left in the second one's one-minute window.
    emu.setTimeScale(10);
    first.close();
    await emu.waitFor('disconnected');
    // An outage of 20 emulated seconds.
    await untilEmulated(emu, emu.clock.now() + 20_000);
    const second = await rawRequest(emu.url, `${SAMPLE}?backfill_minutes=1`);
    emu.setTimeScale(200);
    await second.until(() => second.postIds().length >= 400);
    second.close();
    await emu.waitFor('disconnected', (e) => e.connectionId === 2);

    const stats = emu.stats().connections[1];
    expect(stats?.backfillMinutes).toBe(1);
    const connectAt = stats?.openedAt as number;
    const received = second.postIds();
    const backfilled = stats?.backfilledIds ?? [];
    expect(backfilled.length).toBeGreaterThan(250);
    // The replay comes first, in timeline order, and the live posts follow without a gap.
    expect(received.slice(0, backfilled.length)).toEqual(backfilled);
    expect(consecutive(received)).toBe(true);
    // It covers exactly the last minute before connecting.
    const oldest = snowflakeTime(backfilled[0] as string);
    expect(oldest).toBeGreaterThanOrEqual(Math.floor(connectAt - 60_000));
    expect(oldest).toBeLessThan(connectAt - 60_000 + 2 * 200);
    expect(snowflakeTime(backfilled.at(-1) as string)).toBeLessThanOrEqual(connectAt);
    // Posts the client already had come again (X does not deduplicate).
    // Posts the client already had come again (X does not deduplicate).
    const sentBefore = emu.stats().connections[0]?.postIds ?? [];
    const inWindow = sentBefore.filter((id) => snowflakeTime(id) >= connectAt - 60_000);
    expect(inWindow.length).toBeGreaterThan(0);
    for (const id of inWindow) expect(backfilled).toContain(id);
    expect(emu.stats().duplicatesSent).toBe(inWindow.length);
    // ...and so are the posts created during the outage (the replay is gap-free, checked above).
    const lastSent = snowflakeTime(sentBefore.at(-1) as string);
    const outage = backfilled.filter((id) => snowflakeTime(id) > lastSent);
    expect(outage.length).toBeGreaterThanOrEqual(
      Math.floor(((connectAt - lastSent) / 1000) * 5 * 0.5),
    );
  });

  it('replays only matching posts on the filtered stream, each with matching_rules', async () => {
    emu = await startEmulator({
      seed: 9,
      rate: 10,
      timeScale: 400,
      rules: [{ value: 'coffee OR cat OR rain', tag: 'x' }],
    });
    await untilEmulated(emu, emu.clock.now() + 65_000);
    const res = await rawRequest(emu.url, `${STREAM}?backfill_minutes=1`);
    await res.until(() => res.messages().length >= 60);
    res.close();
    const backfilled = emu.stats().connections[0]?.backfilledIds ?? [];
    expect(backfilled.length).toBeGreaterThan(40);
    for (const m of res.messages())
      expect(m.matching_rules).toEqual([{ id: emu.rules()[0]?.id, tag: 'x' }]);
  });

  it('replays from the start of the timeline when asked for more than exists', async () => {
    emu = await startEmulator({ seed: 10, rate: 5, timeScale: 400 });
    await untilEmulated(emu, emu.clock.now() + 10_000);
    const res = await rawRequest(emu.url, `${SAMPLE}?backfill_minutes=5`);
    await res.until(() => res.postIds().length >= 40);
    res.close();
    expect(sequenceOf(res.postIds()[0] as string)).toBe(0);
    expect(consecutive(res.postIds())).toBe(true);
  });
});
