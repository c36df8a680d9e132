import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** What came back from a webhook: a status and body, or a network error. */
export type WebhookReply =
  | { status: number; body: string }
  | { status: 'network-error'; reason: string };

/** One request from the emulator to a webhook. */
export interface WebhookCall {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  /** The body to send (POST). */
  body?: Buffer;
  /** Send only the first `sendBytes` of the body, then cut the connection. */
  cutAfter?: number;
  /** Real ms before the attempt counts as a timeout (X allows 10 s). */
  timeoutMs: number;
  signal: AbortSignal;
}

/** Sends one request to a webhook over node:http(s), as X's delivery service would. */
export function callWebhook(call: WebhookCall): Promise<WebhookReply> {
  return new Promise((resolve) => {
    const url = new URL(call.url);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    let settled = false;
    const done = (reply: WebhookReply) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      call.signal.removeEventListener('abort', onAbort);
      resolve(reply);
    };
    const headers: Record<string, string> = {
      'user-agent': 'birdstream-emulator-webhooks',
      ...call.headers,
    };
    if (call.body !== undefined) headers['content-length'] = String(call.body.length);
    const req = send(url, { method: call.method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', (error) => done({ status: 'network-error', reason: error.message }));
    });
    const timer = setTimeout(() => {
      req.destroy();
      done({ status: 'network-error', reason: 'timeout' });
    }, call.timeoutMs);
    const onAbort = () => {
      req.destroy();
      done({ status: 'network-error', reason: 'emulator closed' });
    };
    call.signal.addEventListener('abort', onAbort, { once: true });
    req.on('error', (error) => done({ status: 'network-error', reason: error.message }));
    if (call.body === undefined) {
      req.end();
    } else if (call.cutAfter !== undefined) {
      req.write(call.body.subarray(0, call.cutAfter), () => {
        // The rest never comes: reset the connection.
        setTimeout(() => {
          req.destroy();
          done({ status: 'network-error', reason: 'connection cut mid-body' });
        }, 20);
      });
    } else {
      req.end(call.body);
    }
  });
}
