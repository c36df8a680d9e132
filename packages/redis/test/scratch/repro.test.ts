import { startEmulator } from '@birdstream/testing';
import { it } from 'vitest';
import { type CliProcess, startCli } from '../helpers/cli-process.js';
import { connect, streamIds } from '../helpers/redis-client.js';
import { startRedisServer } from '../helpers/redis-server.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
it('repro', async () => {
  const server = await startRedisServer();
  const redis = connect(server);
  const emu = await startEmulator({ seed: 'repro', rate: 800, timeScale: 1 });
  const extra = (process.env.REPRO_ARGS ?? '').split(' ').filter(Boolean);
  const worker = (name: string) =>
    startCli([
      'ingest',
      '--partitions',
      '1-6',
      '--redis',
      server.url,
      '--base-url',
      emu.url,
      '--owner',
      name,
      '--tweet-fields',
      'created_at',
      '--progress-interval',
      '5s',
      ...extra,
    ]);
  const w: CliProcess[] = [worker('w1'), worker('w2'), worker('w3')];
  await sleep(11_000);
  w[0]!.child.kill('SIGKILL');
  await sleep(15_000);
  w.push(worker('w4'));
  await sleep(Number(process.env.REPRO_MS ?? 30_000));
  for (const p of w.slice(1)) p.child.kill('SIGTERM');
  await Promise.all(w.map((p) => p.exited));
  const stats = emu.stats();
  const conns = stats.connections.filter((c) => c.partition !== undefined && c.partition <= 6);
  const sent = new Set(conns.flatMap((c) => [...c.postIds, ...c.backfilledIds]));
  const stored = new Set(await streamIds(redis, 'birdstream:firehose'));
  const lost = [...sent].filter((id) => !stored.has(id));
  const per: Record<number, number> = {};
  for (const c of conns) per[c.partition!] = (per[c.partition!] ?? 0) + 1;
  console.log(
    'sent',
    sent.size,
    'stored',
    stored.size,
    'lost',
    lost.length,
    'connections per partition',
    per,
  );
  console.log(
    conns
      .map(
        (c) =>
          `p${c.partition} #${c.id} ${c.closedBy ?? 'open'} posts ${c.postIds.length} bf ${c.backfillMinutes}`,
      )
      .join('\n'),
  );
  for (const p of w)
    console.log(
      p
        .stderr()
        .split('\n')
        .filter((l) => !/posts\/s/.test(l))
        .slice(0, 40)
        .join('\n'),
    );
  for (const p of w)
    console.log(
      p
        .stderr()
        .split('\n')
        .filter((l) => /posts\/s/.test(l))
        .slice(-6)
        .join('\n'),
    );
  redis.disconnect();
  await emu.close();
  await server.dispose();
}, 300_000);
