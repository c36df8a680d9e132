import { type ConnectionMessage, StreamClient } from '@birdstream/core';
import { arbitraryCuts, splitAt } from '@birdstream/test-utils';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { post } from '../helpers/messages.js';
import { startLoopback } from './loopback.js';

/** X's playground answers text/event-stream; these are its three shapes of body. */
const BODIES = {
  crlf: `${JSON.stringify(post('1'))}\r\n\r\n${JSON.stringify(post('2', 'two\nlines'))}\r\n`,
  lf: `${JSON.stringify(post('1'))}\n\n${JSON.stringify(post('2', 'two\nlines'))}\n`,
  sse: `data: ${JSON.stringify(post('1'))}\n\n: ping\n\ndata: ${JSON.stringify(post('2', 'two\nlines'))}\n\n`,
} as const;

describe('the framing adapts per connection (real server, any chunking)', () => {
  for (const [framing, text] of Object.entries(BODIES)) {
    test(framing, async () => {
      const server = await startLoopback();
      const bytes = Buffer.from(text);
      await fc.assert(
        fc.asyncProperty(arbitraryCuts(bytes.length), async (cuts) => {
          server.handler = (_req, res) => {
            res.writeHead(200, { 'content-type': 'text/event-stream' });
            const pieces = splitAt(bytes, cuts);
            const next = () => {
              const piece = pieces.shift();
              if (piece === undefined) res.end();
              else res.write(piece, () => setImmediate(next));
            };
            next();
          };
          let frames = 0;
          const connection = await new StreamClient({
            bearerToken: 't',
            baseUrl: server.url,
          }).connect<{ data: { id: string; text: string } }>(
            'filter',
            {},
            { onFrame: () => frames++ },
          );
          const messages: ConnectionMessage<{ data: { id: string; text: string } }>[] = [];
          for await (const message of connection) messages.push(message);
          expect(connection.framing).toBe(framing);
          expect(
            messages.map((m) => (m.type === 'response' ? m.response.data.text : m.type)),
          ).toEqual(['post 1', 'keep-alive', 'two\nlines']);
          expect(frames).toBeGreaterThan(0);
          expect(connection.bytesWithoutMessage).toBe(0);
        }),
        { numRuns: 10 },
      );
    });
  }
});
