import { type FieldParams, STREAM_ENDPOINT_TABLE, type StreamEndpointInfo } from '@birdstream/core';
import { CONSUMER_SECRET_VARIABLE, WebhooksClient } from '@birdstream/webhooks';
import { type OptionSpec, type ParsedValues, stringOption } from '../cli/args.js';
import type { CommandContext } from '../cli/context.js';
import { type Env, requireToken, resolveBaseUrl } from '../cli/env.js';
import { ExitCode } from '../cli/exit-codes.js';
import { restProxy } from '../cli/proxy.js';
import { CliError } from '../cli/usage-error.js';
import { parseList } from '../cli/values.js';
import { FIELD_FLAGS } from '../stream/stream-settings.js';

const FILTER: StreamEndpointInfo = STREAM_ENDPOINT_TABLE.filter;
/** The stream's field flags that a link takes: those of the filtered stream. */
const LINK_FLAGS = FIELD_FLAGS.filter((f) => f.param in FILTER.fields);

/** `--expansions`, `--tweet-fields`, … as in `birdstream stream`. */
export const LINK_FIELD_OPTIONS: Record<string, OptionSpec> = Object.fromEntries(
  LINK_FLAGS.map((f) => [
    f.flag,
    { type: 'string', value: '<a,b>', description: `${f.param}, as for \`birdstream stream\`` },
  ]),
);

/** The link's fields from the field flags; unknown values are usage errors. */
export function readLinkFields(values: ParsedValues, command: string): FieldParams {
  const params: Record<string, string[]> = {};
  for (const { flag, param } of LINK_FLAGS) {
    const text = stringOption(values, flag);
    const allowed = FILTER.fields[param] ?? [];
    if (text !== undefined) params[param] = parseList(text, allowed, `--${flag}`, command);
  }
  return params as FieldParams;
}

/** The management client with the CLI's token, base URL and proxy. */
export function webhooksClient(
  ctx: CommandContext,
  values: ParsedValues,
  command: string,
): WebhooksClient {
  const baseUrl = resolveBaseUrl(stringOption(values, 'base-url'), ctx.env);
  return new WebhooksClient({
    bearerToken: requireToken(ctx.env),
    baseUrl,
    proxy: restProxy(stringOption(values, 'proxy'), ctx.env, baseUrl, command),
  });
}

/** The consumer secret from the environment (never argv), or a one-line error saying where to put it. */
export function requireConsumerSecret(env: Env): string {
  const value = env[CONSUMER_SECRET_VARIABLE]?.trim();
  if (value === undefined || value === '') {
    throw new CliError(
      `No consumer secret: set ${CONSUMER_SECRET_VARIABLE} in the environment to your X app's API Key Secret (developer portal → your App → Keys and tokens); X signs webhooks with it.`,
      ExitCode.error,
    );
  }
  return value;
}
