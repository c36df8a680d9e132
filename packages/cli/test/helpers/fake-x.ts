import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { STREAM_ENDPOINT_TABLE } from '@birdstream/core';
import { readFixtureText } from '@birdstream/test-utils';

/** What the fake server saw of one request. */
export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
  body: string;
  /** Resolves when the client closed the connection (or the response ended). */
  closed: Promise<void>;
}

/** Writes the body of a stream connection; the response stays open until it returns or the client leaves. */
export type StreamHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

interface StoredRule {
  id: string;
  value: string;
  tag?: string;
}

export interface FakeX {
  url: string;
  requests: SeenRequest[];
  rules: StoredRule[];
  /** Sets how the next stream connections answer (every stream of core's endpoint table). */
  onStream(handler: StreamHandler): void;
  close(): Promise<void>;
}

const RULES_PATH = '/2/tweets/search/stream/rules';
const STREAM_PATHS: ReadonlySet<string> = new Set(
  Object.values(STREAM_ENDPOINT_TABLE).map((row) => row.path),
);

/**
 * A small X API stand-in on 127.0.0.1 for the bin tests: bearer auth, the
 * rules endpoints (list, add with `dry_run`, delete by ids, `delete_all`)
 * with X's response shapes, and stream endpoints answered by a per-test handler.
 * Rules are refused only when `refuse` says so.
 */
export async function startFakeX(options: {
  token: string;
  rules?: StoredRule[];
  /** Makes X refuse a rule: return the `details` message (ending with "(at position N)"). */
  refuse?: (value: string) => string | undefined;
}): Promise<FakeX> {
  const requests: SeenRequest[] = [];
  const rules: StoredRule[] = [...(options.rules ?? [])];
  let nextId = 1_500_000_000_000_000_000n;
  let streamHandler: StreamHandler = (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
  };
  const sockets = new Set<import('node:net').Socket>();

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    let body = '';
    for await (const chunk of req) body += String(chunk);
    const closed = new Promise<void>((resolve) => {
      res.on('close', () => resolve());
    });
    requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      authorization: req.headers.authorization,
      body,
      closed,
    });
    if (req.headers.authorization !== `Bearer ${options.token}`) {
      return json(res, 401, JSON.parse(readFixtureText('errors/rules_get_401_unauthorized.json')));
    }
    if (STREAM_PATHS.has(url.pathname)) {
      await streamHandler(req, res);
      return;
    }
    if (url.pathname === RULES_PATH && req.method === 'GET') {
      return json(res, 200, {
        ...(rules.length > 0 ? { data: rules } : {}),
        meta: { sent: new Date().toISOString(), result_count: rules.length },
      });
    }
    if (url.pathname === RULES_PATH && req.method === 'POST') {
      const dryRun = url.searchParams.get('dry_run') === 'true';
      const payload = JSON.parse(body || '{}') as {
        add?: { value: string; tag?: string }[];
        delete?: { ids?: string[] };
      };
      if (url.searchParams.get('delete_all') === 'true') {
        const deleted = rules.length;
        if (!dryRun) rules.splice(0);
        return json(res, 200, {
          meta: { sent: new Date().toISOString(), summary: { deleted, not_deleted: 0 } },
        });
      }
      if (payload.delete?.ids) {
        let deleted = 0;
        for (const id of payload.delete.ids) {
          const at = rules.findIndex((r) => r.id === id);
          if (at !== -1) {
            deleted += 1;
            if (!dryRun) rules.splice(at, 1);
          }
        }
        return json(res, 200, {
          meta: {
            sent: new Date().toISOString(),
            summary: { deleted, not_deleted: payload.delete.ids.length - deleted },
          },
        });
      }
      const created: StoredRule[] = [];
      const errors: unknown[] = [];
      for (const rule of payload.add ?? []) {
        const existing = rules.find((r) => r.value === rule.value);
        if (existing) {
          errors.push({
            value: rule.value,
            id: existing.id,
            title: 'DuplicateRule',
            type: 'https://api.twitter.com/2/problems/duplicate-rules',
          });
        } else if (options.refuse?.(rule.value) !== undefined) {
          errors.push({
            value: rule.value,
            details: [options.refuse(rule.value)],
            title: 'UnprocessableEntity',
            type: 'https://api.twitter.com/2/problems/invalid-rules',
          });
        } else {
          nextId += 1n;
          created.push({ ...rule, id: String(nextId) });
        }
      }
      if (!dryRun) rules.push(...created);
      const summary = {
        created: created.length,
        not_created: errors.length,
        valid: created.length,
        invalid: errors.length,
      };
      return json(res, created.length > 0 ? 201 : 200, {
        ...(created.length > 0 ? { data: created.reverse() } : {}),
        meta: { sent: new Date().toISOString(), summary },
        ...(errors.length > 0 ? { errors } : {}),
      });
    }
    json(res, 404, { title: 'Not Found', type: 'about:blank', status: 404, detail: 'Not Found' });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    rules,
    onStream(handler) {
      streamHandler = handler;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}
