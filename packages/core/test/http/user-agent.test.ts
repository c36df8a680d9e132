import { userAgentFor } from '@birdstream/core';
import { describe, expect, test } from 'vitest';

describe('userAgentFor', () => {
  test('puts the caller’s product token, trimmed, before the component’s', () => {
    expect(userAgentFor('birdstream-rules', '1.4.0', '  my-app/1.2 ')).toBe(
      'my-app/1.2 birdstream-rules/1.4.0',
    );
  });

  test('sends the component’s token alone when there is no product token', () => {
    expect(userAgentFor('my-transport', '0.3.1')).toBe('my-transport/0.3.1');
    expect(userAgentFor('my-transport', '0.3.1', '   ')).toBe('my-transport/0.3.1');
  });
});
