// The smoke worker of the workerd harness: core (built, workerd condition) in a module worker.
// It answers with the id of the posted JSON as core's lossless parser reads it, and with what
// core makes of the runtime.
import { parseJsonLossless, StreamClient, VERSION } from '@birdstream/core';

function nodeTransportRefusal(): string | undefined {
  try {
    new StreamClient({ bearerToken: 'smoke-token', transport: 'node' });
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

export default {
  async fetch(request: Request): Promise<Response> {
    if (request.method !== 'POST') return new Response(null, { status: 204 });
    const body = parseJsonLossless(await request.text()) as { data: { id: unknown } };
    const host = globalThis as { process?: { versions?: { node?: string } } };
    return Response.json({
      id: body.data.id,
      idType: typeof body.data.id,
      version: VERSION,
      userAgent: navigator.userAgent,
      processVersionsNode: host.process?.versions?.node ?? null,
      nodeTransport: nodeTransportRefusal() ?? 'accepted',
    });
  },
};
