import { type Emulator, startEmulator } from '@birdstream/testing';
import { afterEach, expect, it } from 'vitest';
import { startBin } from '../helpers/bin.js';
import { TOKEN } from '../helpers/env.js';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

it('--emulator-clock and --recover-gaps: an outage longer than 5 minutes injected from outside is recovered in seconds of real time', async () => {
  emu = await startEmulator({
    seed: 11,
    rate: 20,
    // A 5-minute-10-second outage passes in about 16 real seconds; the CLI follows through
    // GET /_emulator/clock. (Faster makes X's 10 s connect timeout a fraction of a real second.)
    timeScale: 20,
    bearerToken: TOKEN,
    rules: [{ value: 'coffee OR cat OR rain', tag: 'r' }],
  });
  const bin = startBin(
    [
      'stream',
      '--emulator-clock',
      '--backfill',
      'auto',
      '--recover-gaps',
      '--progress-interval',
      '1h',
    ],
    {
      env: { X_BEARER_TOKEN: TOKEN, BIRDSTREAM_BASE_URL: emu.url },
    },
  );
  try {
    await bin.waitFor('stderr', (t) => t.includes('connected to the filtered stream.'));
    await bin.waitFor('stdout', (t) => t.split('\n').length > 5);
    // From another process's point of view, as a shell would: the control endpoint.
    const inject = (fault: object) =>
      fetch(`${emu!.url}/_emulator/faults`, { method: 'POST', body: JSON.stringify(fault) });
    expect((await inject({ type: 'outage', ms: 310_000 })).status).toBe(202);
    expect((await inject({ type: 'destroy' })).status).toBe(202);
    // The recovery's end is reported either way: replayed, or failed (on a loaded machine its
    // request may miss the connect timeout, 0.5 s of real time at ×20): the path was taken.
    const text = await Promise.race([
      bin.waitFor('stderr', (t) => /recovered the gap|recovery of the gap .* failed/.test(t)),
      // Generous (a loaded machine): the outage and back-off are about 16 s of real time.
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`no recovery yet:\n${bin.stderr()}`)), 120_000),
      ),
    ]);
    // Refused attempts during the outage are said as such; backfill once connected; then recovery.
    expect(text).toMatch(/reconnect refused by 127\.0\.0\.1:\d+ \(.*503/);
    expect(text).toMatch(
      /reconnected\.\nbirdstream: asked 127\.0\.0\.1:\d+ to redeliver 5 minutes of missed posts \(that cannot reach back over the whole outage: it was longer than 5 minutes/,
    );
    expect(text).toMatch(
      /recovering the gap \d\d:\d\d:\d\d–\d\d:\d\d:\d\d, longer than 127\.0\.0\.1:\d+'s 5-minute backfill/,
    );
    if (/recovered the gap/.test(text)) {
      expect(text).toMatch(/recovered the gap .*: [\d,]+ posts? replayed/);
      // The emulator served the recovery request to its end.
      expect(emu.stats().connections.some((c) => c.closedBy === 'recovery-complete')).toBe(true);
    }
    expect(text).not.toMatch(/asking .* to redeliver/);
  } finally {
    bin.child.kill('SIGTERM');
  }
  expect((await bin.exited).code).toBe(143);
}, 150_000);
