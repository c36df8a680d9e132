import { WebhookReceiver } from '@birdstream/webhooks';

let receiver: WebhookReceiver | undefined;

export default {
  fetch(request: Request, env: { X_CONSUMER_SECRET: string }): Promise<Response> {
    // One receiver per isolate, made on the first request: a Worker's secrets come in `env`.
    receiver ??= new WebhookReceiver({
      consumerSecret: env.X_CONSUMER_SECRET,
      onDelivery: async ({ id, response }) => {
        console.log(id, response.data.text); // store it, or hand it to a queue
      },
    });
    return receiver.fetch(request);
  },
};
