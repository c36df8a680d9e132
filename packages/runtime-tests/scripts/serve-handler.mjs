// Serves a web-standard handler module (`export default { fetch(request) }`) on this runtime's
// own server (Bun.serve, Deno.serve) on a free loopback port, prints its URL, and stops on
// `stop`. The runtime tests point it at @birdstream/webhooks' receiver
// (`handlers/webhook-receiver.mjs`).
import { config, emit, finish, runtime, stopRequested } from './lib.mjs';

const { handler } = config();
const { default: app } = await import(new URL(handler, import.meta.url).href);
const fetch = (request) => app.fetch(request);

let url;
let stopServer;
if (typeof Bun !== 'undefined') {
  const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch });
  url = `http://127.0.0.1:${server.port}`;
  stopServer = () => server.stop(true);
} else if (typeof Deno !== 'undefined') {
  const server = Deno.serve({ hostname: '127.0.0.1', port: 0, onListen() {} }, fetch);
  url = `http://127.0.0.1:${server.addr.port}`;
  stopServer = () => server.shutdown();
} else {
  throw new Error(`serve-handler.mjs runs on Bun or Deno, not ${runtime}`);
}
emit({ type: 'listening', runtime, url });
await stopRequested();
await stopServer();
finish();
