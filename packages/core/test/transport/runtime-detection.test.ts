import { afterEach, describe, expect, it, vi } from 'vitest';
import { isConfigError } from '../../src/errors/config-error.js';
import { createTransport, isNode } from '../../src/transport/create-transport.js';
import {
  createNodeTransport,
  loadNodeModules,
} from '../../src/transport/node-transport-unavailable.js';

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('isNode(): the Node transport only on Node itself', () => {
  it('is true on Node', () => {
    expect(isNode()).toBe(true);
    expect(createTransport({}).kind).toBe('node');
  });

  it('is false on Bun and Deno, which also set process.versions.node', () => {
    for (const extra of [{ bun: '1.4.5' }, { deno: '2.9.6' }]) {
      vi.stubGlobal('process', { ...process, versions: { ...process.versions, ...extra } });
      expect(isNode()).toBe(false);
      expect(createTransport({}).kind).toBe('fetch');
    }
  });

  it("is false on workerd with nodejs_compat (process.versions.node set, navigator.userAgent 'Cloudflare-Workers')", () => {
    vi.stubGlobal('navigator', { userAgent: 'Cloudflare-Workers' });
    expect(isNode()).toBe(false);
    expect(createTransport({}).kind).toBe('fetch');
    expect(() => createTransport({ transport: 'node' })).toThrow(/needs Node\.js/);
  });

  it('is false without process (browsers, workerd without nodejs_compat)', () => {
    vi.stubGlobal('process', undefined);
    expect(isNode()).toBe(false);
  });
});

describe('the stand-in for the Node transport (#node-transport under workerd, browser, default)', () => {
  it('fails with a ConfigError that says what to use', async () => {
    let thrown: unknown;
    try {
      createNodeTransport({});
    } catch (error) {
      thrown = error;
    }
    expect(isConfigError(thrown)).toBe(true);
    expect((thrown as Error).message).toMatch(/use transport: 'fetch' or 'auto'/);
    await expect(loadNodeModules()).rejects.toSatisfy(isConfigError);
  });
});
