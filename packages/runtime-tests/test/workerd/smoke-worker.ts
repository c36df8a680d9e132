// The smoke worker of the workerd harness: core (built, workerd condition) in a module worker.
// It answers with the id of the posted JSON as core's lossless parser reads it.
import { parseJsonLossless, VERSION } from '@birdstream/core';

export default {
  async fetch(request: Request): Promise<Response> {
    if (request.method !== 'POST') return new Response(null, { status: 204 });
    const body = parseJsonLossless(await request.text()) as { data: { id: unknown } };
    return Response.json({
      id: body.data.id,
      idType: typeof body.data.id,
      version: VERSION,
      userAgent: navigator.userAgent,
    });
  },
};
