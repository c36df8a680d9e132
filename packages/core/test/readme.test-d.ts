// The README's TypeScript examples, verbatim (imports hoisted), compiled against the real
// types; test/readme.test.ts checks that every example in README.md is here.
import { createReadStream } from 'node:fs';
import { request } from 'node:https';
import {
  bearerTokenFromEnv,
  ConnectionsClient,
  complianceEvent,
  createMessageParser,
  driftOf,
  type FilteredStreamResponseFor,
  isBudgetExhaustedError,
  isRuleConfigurationError,
  LineDecoder,
  proxyOriginFor,
  resolveBaseUrl,
  StreamClient,
  type StreamConnection,
  type StreamResponse,
  streamParams,
  Tweet,
  UsageClient,
  userAgentFor,
} from '@birdstream/core';
import { describe, expectTypeOf, it } from 'vitest';

declare const client: StreamClient;
declare function handle(response: unknown): void;
declare const store: {
  remove(postId: string): Promise<void>;
  withhold(postId: string, countries: string[]): Promise<void>;
  replace(initialPostId: string, postId: string): Promise<void>;
};

describe('README examples', () => {
  it('stale connections', () => {
    const stream = client.filter(
      {},
      {
        reclaimStaleConnections: {
          // redundant connections you run on purpose elsewhere are never killed
          keep: (connection) => connection.client_ip === '10.0.0.2',
        },
      },
    );
    stream.on('reclaimed', (e) => console.warn(e.reason, e.killed));
  });

  it('root README quick start on Bun and Deno', async () => {
    const client = new StreamClient({ bearerToken: process.env.X_BEARER_TOKEN });
    const stream = client.filter({ 'tweet.fields': ['created_at'] });

    for await (const response of stream) {
      console.log(response.data.created_at, response.data.text);
    }
  });

  it('proxies', () => {
    const proxied = new StreamClient({ proxy: 'env' }); // HTTPS_PROXY=http://proxy.local:3128
    const authenticated = new StreamClient({ proxy: 'http://me:s3cret@proxy.local:3128' });
    console.log(proxyOriginFor('https://api.x.com', 'http://me:s3cret@proxy.local:3128'));
    // http://proxy.local:3128
    expectTypeOf(proxied).toEqualTypeOf(authenticated);
  });

  it('root README quick start', async () => {
    const client = new StreamClient({ bearerToken: process.env.X_BEARER_TOKEN });
    const stream = client.filter({ 'tweet.fields': ['created_at'], expansions: ['author_id'] });
    stream.on('reconnecting', (e) =>
      console.error(`reconnecting in ${e.delayMs} ms: ${e.reason.message}`),
    );

    for await (const response of stream) {
      // typed by the request: created_at is a string, includes.users is present
      console.log(
        response.data.created_at,
        response.includes.users[0]?.username,
        response.data.text,
      );
    }
  });

  it('spend: budget and usage', async () => {
    const budgeted = client.filter(
      {},
      { budget: { maxPosts: 10_000, period: 'day', warnAt: 0.8 } },
    );
    budgeted.on('budget-warning', (e) =>
      console.warn(`${e.usage.delivered} of ${e.usage.limit} posts today`),
    );
    budgeted.on('usage', (e) =>
      console.log(`${e.usage.percent.toFixed(1)} %, projected ${e.usage.projected ?? '?'}`),
    );
    try {
      for await (const response of budgeted) handle(response);
    } catch (error) {
      if (!isBudgetExhaustedError(error)) throw error;
      console.log(error.message); // …10000 of 10000 posts delivered in this UTC day… raise budget.maxPosts…
    }
  });

  it('falling behind: lag', () => {
    const watched = client.filter(
      { 'tweet.fields': ['created_at'] },
      { lag: { intervalMs: 5_000 } },
    );
    watched.on('falling-behind', (e) =>
      console.warn(
        `falling behind (${e.reason}): posts ${e.lag.ageMs?.p50} ms old, consumer busy ${Math.round(e.lag.consumerShare * 100)} %`,
      ),
    );
    watched.on('caught-up', () => console.info('caught up'));
  });

  it('tee: several consumers, one connection', async () => {
    const [archive, alerts] = client.filter({}).tee();
    void (async () => {
      for await (const response of archive) handle(response);
    })();
    for await (const response of alerts) {
      if (response.data.text.includes('urgent')) handle(response);
    }
  });

  it('quick start', async () => {
    const client = new StreamClient({ bearerToken: process.env.X_BEARER_TOKEN });

    const stream = client.filter({
      'tweet.fields': ['created_at', 'author_id'],
      expansions: ['author_id'],
      'user.fields': ['username'],
    });

    stream.on('reconnecting', (e) =>
      console.warn(`reconnecting in ${e.delayMs} ms: ${e.reason.message}`),
    );

    for await (const response of stream) {
      // typed by the request: created_at is a string, includes.users is present
      const author = response.includes.users.find((u) => u.id === response.data.author_id);
      console.log(response.data.created_at, `@${author?.username}`, response.data.text);
      console.log(
        'matched',
        response.matching_rules.map((r) => r.tag),
      );
    }
  });

  it('a compliance consumer', async () => {
    const client = new StreamClient({ bearerToken: process.env.X_BEARER_TOKEN });
    const compliance = client.partitions(
      'tweets-compliance',
      { partitions: 'all' },
      { backfill: 'auto' },
    );

    for await (const { data } of compliance) {
      const event = complianceEvent(data);
      switch (event?.kind) {
        case 'delete':
        case 'drop':
          await store.remove(event.objectId);
          break;
        case 'withheld':
          await store.withhold(event.objectId, event.event.withheld_in_countries);
          break;
        case 'tweet_edit':
          await store.replace(event.event.initial_tweet_id, event.objectId);
          break;
      }
    }
  });

  it('a partitioned firehose', async () => {
    const firehose = client.partitions(
      'firehose',
      { partitions: 'all', params: { 'tweet.fields': ['created_at', 'lang'] } },
      { backfill: 'auto' },
    );
    firehose.on('reconnecting', (e) =>
      console.warn(`partition ${e.partition}: reconnecting in ${e.delayMs} ms`),
    );
    firehose.on('error', (e) =>
      console.error(`partition ${e.partition} failed: ${e.error.message}`),
    );

    for await (const { data } of firehose) console.log(data.created_at, data.lang, data.text);
    const { delivered, duplicates } = firehose.stats.total;
    console.log(`${delivered} posts, ${duplicates} duplicates dropped`);
    expectTypeOf(firehose.failure?.partition).toEqualTypeOf<number | undefined>();
  });

  it('likes', async () => {
    const likes = client.likesFirehose({
      partition: 1,
      'like_with_tweet_author.fields': ['created_at', 'liked_tweet_id'],
      expansions: ['liked_tweet_id'],
    });
    for await (const { data, includes } of likes) {
      console.log(data.created_at, data.liked_tweet_id, includes.tweets[0]?.text);
    }
  });

  it('params in a variable: streamParams()', async () => {
    const params = streamParams({ 'tweet.fields': ['created_at'], expansions: ['author_id'] });
    for await (const { data, includes } of client.filter(params)) {
      console.log(data.created_at, includes.users[0]?.username);
    }
  });

  it('from the environment', () => {
    // X_BEARER_TOKEN=… BIRDSTREAM_BASE_URL=http://127.0.0.1:8080 node app.js
    const fromEnvironment = new StreamClient({});
    console.log(fromEnvironment.baseUrl); // http://127.0.0.1:8080
  });

  it('errors', async () => {
    try {
      for await (const response of client.filter()) handle(response);
    } catch (error) {
      if (isRuleConfigurationError(error)) console.error('Add rules first:', error.detail);
      else throw error;
    }
  });

  it('one raw connection', async () => {
    const connection = await client.connect(
      'sample',
      { 'tweet.fields': ['lang'] },
      { validate: 'off', onBytes: () => {} },
    );
    console.log(connection.status, connection.rateLimit);
    for await (const message of connection) {
      if (message.type === 'response') console.log(message.response.data?.lang);
      else if (message.type === 'payload-invalid') console.warn(message.error.message);
    }
    await connection.close();
  });

  it('streamUrl', async () => {
    const params = { 'tweet.fields': ['created_at'] } as const;
    console.log('connecting to', client.streamUrl('filter', params, 2));
    // https://api.x.com/2/tweets/search/stream?tweet.fields=created_at&backfill_minutes=2
    const backfilled = await client.connect('filter', params, { backfillMinutes: 2 });

    expectTypeOf(backfilled).toEqualTypeOf<StreamConnection<StreamResponse>>();
  });

  it('message schemas', () => {
    const checked = Tweet.safeParse({ id: '1', text: 'hi', edit_history_tweet_ids: ['1'] });
    if (checked.success) console.log(checked.data.id, checked.data.text);
    else console.warn(checked.error.issues.map((issue) => issue.path.join('.')));

    if (checked.success) expectTypeOf(checked.data.id).toEqualTypeOf<string>();
  });

  it('tolerant validation: drift and unrecognized messages', async () => {
    const likes = new StreamClient({}).likesFirehose({
      partition: 1,
      'like_with_tweet_author.fields': ['timestamp_ms'],
    });
    likes.on('schema-drift', ({ drift }) =>
      console.warn(`${drift.count} messages had ${drift.path} off its type (${drift.kind})`),
    );
    likes.on('unrecognized', (event) => console.warn(event.reason, event.issues, event.message));
    for await (const like of likes) {
      const setAside = driftOf(like)?.filter((d) => d.kind === 'set-aside') ?? [];
      console.log(like.data.timestamp_ms, setAside.length);
    }
    const typed = (like: Parameters<Parameters<typeof likes.on<'connected'>>[1]> | undefined) =>
      like;
    void typed;
  });

  it('types narrowed by the request', () => {
    const params = {
      'tweet.fields': ['created_at'],
      expansions: ['author_id'],
      'user.fields': ['username'],
    } as const;

    function line(response: FilteredStreamResponseFor<typeof params>): string {
      const created: string = response.data.created_at; // asked for: a string, never undefined
      const authorId: string = response.data.author_id; // the author_id expansion implies the field
      const author = response.includes.users.find((user) => user.id === authorId); // present
      return `${created} @${author?.username}: ${response.data.text}`;
    }

    type Narrowed = FilteredStreamResponseFor<typeof params>;
    expectTypeOf(line).parameter(0).toEqualTypeOf<Narrowed>();
    expectTypeOf<Narrowed['data']['created_at']>().toEqualTypeOf<string>();
    expectTypeOf<Narrowed['includes']['users'][number]['username']>().toEqualTypeOf<string>();
    // Not requested: optional.
    type Plain = FilteredStreamResponseFor<{}>;
    expectTypeOf<Plain['data']['created_at']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Plain['includes']>().toMatchTypeOf<object | undefined>();
    expectTypeOf<undefined>().toMatchTypeOf<Plain['includes']>();
  });

  it('bring your own transport', async () => {
    async function* responses(bytes: AsyncIterable<Uint8Array>): AsyncGenerator<StreamResponse> {
      const decoder = new LineDecoder({ maxMessageBytes: 1_000_000 });
      const parse = createMessageParser({ validate: 'strict' });
      const frames = async function* () {
        for await (const chunk of bytes) yield* decoder.push(chunk);
        yield* decoder.end(); // a last message without \r\n
      };
      for await (const frame of frames()) {
        if (frame.type === 'keep-alive') continue;
        if (frame.type === 'oversize') {
          console.warn(`skipped a message of ${frame.byteLength} bytes`);
          continue;
        }
        const parsed = parse(frame);
        if (parsed.type === 'response') yield parsed.response;
        else if (parsed.type === 'invalid') console.warn(parsed.error.message); // never quotes it
      }
    }

    for await (const response of responses(createReadStream('capture.txt'))) {
      console.log(
        response.data?.id,
        response.matching_rules?.map((rule) => rule.tag),
      );
    }

    const token = bearerTokenFromEnv();
    if (token === undefined) throw new Error('Set X_BEARER_TOKEN to an app-only bearer token.');
    const url = `${resolveBaseUrl()}/2/tweets/sample/stream?tweet.fields=lang`;
    request(url, {
      headers: {
        authorization: `Bearer ${token}`,
        'user-agent': userAgentFor('my-transport', '1.0.0', 'my-app/1.2'),
      },
    })
      .on('response', async (body) => {
        for await (const response of responses(body)) console.log(response.data?.lang);
      })
      .end();
  });

  it('connections and usage', async () => {
    const connections = new ConnectionsClient({ bearerToken: process.env.X_BEARER_TOKEN });
    // One page (up to 100): `connections`, and `nextToken` for the next page.
    const page = await connections.list({ endpoints: ['filtered_stream'] });
    for (const c of page.connections) console.log(c.id, c.endpoint_name, c.connected_at);
    // Every page, closed connections too (status 'all'), one connection at a time.
    for await (const c of connections.listAll({ status: 'all' })) console.log(c.disconnect_reason);
    // Kill by UUID, or every connection to one stream; X says how many it terminated.
    const stale = page.connections.flatMap((c) => (c.id === undefined ? [] : [c.id]));
    const { successful, failed } = await connections.kill(stale);
    const firehose = await connections.killEndpoint('firehose_stream');
    console.log(`${successful} killed, ${failed} not; ${firehose.successful} on the firehose`);

    const { usage, percentOfCap } = await new UsageClient().get({ days: 7 });
    const share = percentOfCap === undefined ? 'no cap reported' : `${percentOfCap.toFixed(1)} %`;
    console.log(`${usage.project_usage} of ${usage.project_cap} posts read (${share})`);
    for (const day of usage.daily_project_usage?.usage ?? []) console.log(day.date, day.usage);
  });
});
