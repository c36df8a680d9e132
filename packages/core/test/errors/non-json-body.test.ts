import { createApiError } from '@birdstream/core';
import { describe, expect, test } from 'vitest';

const PAGE = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>
  502 Bad Gateway &amp; friends
</title><style>h1 { color: red }</style></head>
<body><h1>502 Bad Gateway</h1><p>The proxy server received an invalid response.</p>
<script>var x = "<b>";</script></body></html>`;

describe('a non-JSON error body becomes a short clean message', () => {
  test('an HTML proxy page: status, reason phrase and the page title, never the markup', () => {
    const error = createApiError({
      status: 502,
      headers: { 'content-type': 'text/html; charset=utf-8' },
      bodyText: PAGE,
      operation: 'connect to the filtered stream',
    });
    expect(error.name).toBe('ServerError');
    expect(error.message).toBe(
      'X API 502 Bad Gateway while trying to connect to the filtered stream: "502 Bad Gateway & friends".',
    );
    expect(error.message).not.toMatch(/[<>]/);
    expect(error.bodyText).toBe(PAGE);
  });

  test('markup without a title or content type: status and reason only', () => {
    const error = createApiError({
      status: 503,
      headers: {},
      bodyText: '<html><body><h1>Service Unavailable</h1></body></html>',
    });
    expect(error.message).toBe('X API 503 Service Unavailable.');
  });

  test('plain text: its start, on one line', () => {
    const error = createApiError({ status: 504, headers: {}, bodyText: 'upstream\n timed out\n' });
    expect(error.message).toBe('X API 504 Gateway Timeout: upstream timed out.');
    const long = createApiError({ status: 500, headers: {}, bodyText: 'x'.repeat(500) });
    expect(long.message.length).toBeLessThan(160);
  });

  test('a 401 reads as sentences that end with a full stop', () => {
    const error = createApiError({
      status: 401,
      headers: { 'content-type': 'application/problem+json' },
      bodyText:
        '{"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized"}',
    });
    expect(error.message).toBe(
      'X API 401 Unauthorized: Unauthorized. Check the bearer token (the bearerToken option, or X_BEARER_TOKEN): it must be the OAuth 2.0 app-only bearer token of an App inside a Project.',
    );
  });
});
