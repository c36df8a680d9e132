import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RedisDeliveryDedupe } from '@birdstream/redis';
import { type WebhookEvent, WebhookReceiver } from '@birdstream/webhooks';
import { nodeWebhook } from '@birdstream/webhooks/node';
import type { Redis } from 'ioredis';
import { flag, stringOption } from '../cli/args.js';
import { ExitCode } from '../cli/exit-codes.js';
import { UsageError } from '../cli/usage-error.js';
import { parseDuration, parseInteger } from '../cli/values.js';
import { JsonlWriter } from '../output/jsonl-writer.js';
import { describeWebhookEvent, webhookSummary } from '../output/webhook-lines.js';
import {
  LINK_FIELD_OPTIONS,
  readLinkFields,
  requireConsumerSecret,
} from '../webhooks/webhook-options.js';
import type { Command } from './command.js';
import { connectRedis } from './ingest.js';

const NAME = 'webhooks serve';

/** `birdstream webhooks serve`: a webhook receiver that writes each new post to stdout as JSONL. */
export const webhooksServeCommand: Command = {
  spec: {
    name: NAME,
    summary:
      'Receive X’s filtered-stream webhook: CRCs, verified deliveries, each post once as JSONL on stdout.',
    positionals: [],
    options: {
      port: { type: 'string', value: '<n>', description: 'port to listen on (default 8080)' },
      host: {
        type: 'string',
        value: '<addr>',
        description: 'address to listen on (default 127.0.0.1; 0.0.0.0 for all)',
      },
      path: {
        type: 'string',
        value: '<path>',
        description: 'answer only this path (default: every path)',
      },
      ...LINK_FIELD_OPTIONS,
      redis: {
        type: 'string',
        value: '<url>',
        description: 'dedupe across instances in Redis (redis://host:6379); default: in memory',
      },
      'max-body': {
        type: 'string',
        value: '<bytes>',
        description: 'largest body accepted (default 1048576)',
      },
      duration: {
        type: 'string',
        value: '<time>',
        description: 'stop after this long (30s, 5m, 1h)',
      },
      quiet: {
        type: 'boolean',
        short: 'q',
        description: 'no event lines on stderr, only the summary',
      },
    },
    details: [
      'The consumer secret comes from X_CONSUMER_SECRET (never the command line). X reaches the receiver through your https proxy or tunnel (X refuses URLs with a port); register that URL with `birdstream webhooks register` and link it with `birdstream webhooks link` (same field flags).',
      'Each new post is written to stdout as the exact JSON X signed, one per line; X is answered 200 once the line is written (backpressure: a slow reader makes X wait, then retry). Refused requests (401 bad signature, 413, 400) and duplicates are reported on stderr.',
      'Exit codes: 0 stopped by --duration, 2 usage, credentials or listen error, 130/143 after SIGINT/SIGTERM.',
    ],
    examples: [
      'birdstream webhooks serve --port 8080 --tweet-fields created_at --expansions author_id > posts.jsonl',
      'birdstream webhooks serve --host 0.0.0.0 --redis redis://127.0.0.1:6379',
    ],
  },

  async run(ctx, args) {
    const values = args.values;
    const secret = requireConsumerSecret(ctx.env);
    const port = parseInteger(stringOption(values, 'port') ?? '8080', '--port', NAME, 0, 65_535);
    const host = stringOption(values, 'host') ?? '127.0.0.1';
    const path = stringOption(values, 'path');
    if (path !== undefined && !path.startsWith('/'))
      throw new UsageError(`--path must start with /, got '${path}'.`, NAME);
    const maxBodyText = stringOption(values, 'max-body');
    const maxBodyBytes =
      maxBodyText === undefined ? undefined : parseInteger(maxBodyText, '--max-body', NAME, 1);
    const durationText = stringOption(values, 'duration');
    const durationMs =
      durationText === undefined ? undefined : parseDuration(durationText, '--duration', NAME);
    const fields = readLinkFields(values, NAME);
    const quiet = flag(values, 'quiet');
    const redisUrl = stringOption(values, 'redis');
    const redis: Redis | undefined =
      redisUrl === undefined ? undefined : await connectRedis(redisUrl);
    const writer = new JsonlWriter(ctx.stdout);
    const receiver = new WebhookReceiver({
      consumerSecret: secret,
      fields,
      ...(maxBodyBytes === undefined ? {} : { maxBodyBytes }),
      ...(redis === undefined ? {} : { dedupe: new RedisDeliveryDedupe({ redis }) }),
      clock: ctx.clock,
      onDelivery: async ({ text }) => {
        await writer.writeLine(text);
      },
    });
    const report = (event: WebhookEvent) => {
      if (!quiet) ctx.err(describeWebhookEvent(event));
    };
    for (const type of [
      'crc',
      'rejected',
      'duplicate',
      'handoff-failed',
      'unrecognized',
      'error',
    ] as const) {
      receiver.on(type, report);
    }
    const handler = nodeWebhook(receiver);
    const server = createServer((req, res) => {
      if (path !== undefined && (req.url ?? '/').split('?')[0] !== path) {
        res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' });
        res.end('{"error":"not-found"}');
        return;
      }
      handler(req, res);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error) =>
        reject(
          new UsageError(`Cannot listen on ${host}:${port}: ${(error as Error).message}.`, NAME),
        ),
      );
      server.listen(port, host, () => resolve());
    });
    const address = server.address() as AddressInfo;
    ctx.err(
      `Listening on http://${address.address}:${address.port}${path ?? '/'} (CRCs and deliveries; Ctrl-C to stop).`,
    );
    const stopped = await new Promise<'duration' | 'signal'>((resolve) => {
      const timer =
        durationMs === undefined
          ? undefined
          : ctx.clock.setTimeout(() => resolve('duration'), durationMs);
      const onAbort = () => {
        if (timer !== undefined) ctx.clock.clearTimeout(timer);
        resolve('signal');
      };
      if (ctx.signal.aborted) onAbort();
      else ctx.signal.addEventListener('abort', onAbort, { once: true });
    });
    server.close();
    server.closeIdleConnections();
    await receiver.close();
    server.closeAllConnections();
    await writer.end();
    redis?.disconnect();
    ctx.err(webhookSummary(receiver.stats));
    if (stopped === 'duration') return ExitCode.ok;
    return ctx.signal.reason === 'SIGTERM' ? ExitCode.terminated : ExitCode.interrupted;
  },
};
