import { isStallError, StreamClient, type StreamOptions } from '@birdstream/core';
import { type ControlledBody, controlledBody, inTurn, ManualClock } from '@birdstream/test-utils';
import { HttpResponse, http } from 'msw';
import { describe, expect, test } from 'vitest';
import { ofType, typesOf } from '../helpers/events.js';
import { post } from '../helpers/messages.js';
import { run } from '../helpers/stream-runner.js';
import { FILTER, useStreamServer } from '../helpers/stream-server.js';
import { until } from '../helpers/until.js';

const server = useStreamServer();

function start(options: StreamOptions = {}) {
  const clock = new ManualClock();
  const bodies: ControlledBody[] = [];
  const turn = inTurn([
    () => {
      const body = controlledBody();
      bodies.push(body);
      return new HttpResponse(body.body);
    },
  ]);
  server.use(http.get(FILTER, turn.handler));
  const stream = new StreamClient({ bearerToken: 't', clock }).filter({}, options);
  return Object.assign(run(stream), { clock, stream, bodies });
}

describe('stall watchdog (virtual time)', () => {
  test('no byte for stallTimeoutMs aborts the connection and reconnects at once-ish', async () => {
    const ctx = start();
    await until(() => ofType(ctx.events, 'connected').length === 1, 'connected');
    expect(ctx.clock.pendingDelays()).toEqual([30_000]);
    await ctx.clock.advance(29_999);
    expect(ofType(ctx.events, 'stalled')).toHaveLength(0);
    await ctx.clock.advance(1);
    await until(() => ofType(ctx.events, 'reconnecting').length === 1, 'reconnecting');
    expect(typesOf(ctx.events)).toEqual([
      'connecting',
      'connected',
      'stalled',
      'disconnected',
      'reconnecting',
    ]);
    expect(ofType(ctx.events, 'stalled')[0]).toEqual({ type: 'stalled', timeoutMs: 30_000 });
    const reconnecting = ofType(ctx.events, 'reconnecting')[0]!;
    expect(isStallError(reconnecting.reason)).toBe(true);
    expect(reconnecting).toMatchObject({ failure: 'network', delayMs: 250 });
    await ctx.clock.next();
    await until(() => ofType(ctx.events, 'connected').length === 2, 'reconnected');
  });

  test('bytes that never complete a message are reported, not waited on in silence', async () => {
    const ctx = start();
    await until(() => ofType(ctx.events, 'connected').length === 1, 'connected');
    // A server whose framing is not understood: bytes keep coming, no frame ever completes.
    for (let i = 0; i <= 6; i++) {
      ctx.bodies[0]!.push('{"data":{"id":"1","text":"never ends');
      await until(() => ctx.stream.stats.lastByteAt === ctx.clock.now(), `bytes ${i}`);
      if (i < 6) await ctx.clock.advance(5_000);
    }
    await until(() => ofType(ctx.events, 'stalled').length === 1, 'stalled');
    expect(ofType(ctx.events, 'stalled')[0]).toEqual({
      type: 'stalled',
      timeoutMs: 30_000,
      bytesWithoutMessage: true,
    });
    await until(() => ofType(ctx.events, 'reconnecting').length === 1, 'reconnecting');
    const reason = ofType(ctx.events, 'reconnecting')[0]!.reason;
    expect(isStallError(reason) && reason.bytesWithoutMessage).toBe(true);
    expect(reason.message).toMatch(/without one complete message or keep-alive/);
  });

  test('keep-alives reset it: 10 minutes of heartbeats every 20 s never stall', async () => {
    const ctx = start();
    await until(() => ofType(ctx.events, 'connected').length === 1, 'connected');
    for (let i = 0; i < 30; i++) {
      await ctx.clock.advance(20_000);
      ctx.bodies[0]!.keepAlive();
      await until(() => ctx.stream.stats.keepAlives === i + 1, `keep-alive ${i + 1}`);
    }
    expect(ofType(ctx.events, 'stalled')).toHaveLength(0);
    expect(ofType(ctx.events, 'keep-alive')).toHaveLength(30);
    expect(ctx.stream.stats.lastByteAt).toBe(ctx.clock.now());
    // then silence: it stalls 30 s after the last keep-alive
    await ctx.clock.advance(29_999);
    expect(ofType(ctx.events, 'stalled')).toHaveLength(0);
    await ctx.clock.advance(1);
    expect(ofType(ctx.events, 'stalled')).toHaveLength(1);
  });

  test('any bytes count, even a fragment of a post', async () => {
    const ctx = start({ stallTimeoutMs: 10_000 });
    await until(() => ofType(ctx.events, 'connected').length === 1, 'connected');
    await ctx.clock.advance(9_000);
    ctx.bodies[0]!.push('{"data":{"id":"1",');
    await until(() => ctx.stream.stats.lastByteAt === ctx.clock.now(), 'the fragment');
    await ctx.clock.advance(9_000);
    expect(ofType(ctx.events, 'stalled')).toHaveLength(0);
    await ctx.clock.advance(1_000);
    expect(ofType(ctx.events, 'stalled')).toHaveLength(1);
  });

  test('a slow consumer is not a stall: the watchdog waits while the loop holds a post', async () => {
    const clock = new ManualClock();
    const body = controlledBody();
    server.use(http.get(FILTER, () => new HttpResponse(body.body)));
    const stream = new StreamClient({ bearerToken: 't', clock }).filter();
    const iterator = stream[Symbol.asyncIterator]();
    const stalled: unknown[] = [];
    stream.on('stalled', (e) => stalled.push(e));
    const first = iterator.next();
    body.message(post('1'));
    expect((await first).value).toMatchObject({ data: { id: '1' } });
    // the consumer works on the post for 5 minutes without pulling
    await clock.advance(300_000);
    expect(stalled).toHaveLength(0);
    // back to reading: a full timeout of silence is needed again
    const second = iterator.next();
    await clock.advance(29_000);
    body.message(post('2'));
    expect((await second).value).toMatchObject({ data: { id: '2' } });
    expect(stalled).toHaveLength(0);
    await stream.close();
    expect(clock.pendingTimers).toBe(0);
  });
});
