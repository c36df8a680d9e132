import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/bin.js';
import { expectNoToken, expectOneLineError, TOKEN } from '../helpers/env.js';

const COMMANDS = [
  ['rules', 'validate'],
  ['rules', 'sync'],
  ['rules', 'list'],
  ['rules', 'delete-all'],
  ['stream'],
];

describe('birdstream (the executable)', () => {
  it('lists every command with --help and exits 0', async () => {
    const result = await runBin(['--help']);
    expect(result.code).toBe(0);
    for (const command of COMMANDS)
      expect(result.stdout).toContain(`birdstream ${command.join(' ')} `);
    expect(result.stderr).toBe('');
  });

  it.each(COMMANDS.map((command) => command.join(' ')))('has --help for %s', async (name) => {
    const result = await runBin([...name.split(' '), '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Usage: birdstream ${name}`));
    expect(result.stdout).toContain('--base-url <url>');
    expect(result.stdout).toContain('Exit codes:');
  });

  it('prints its version', async () => {
    const result = await runBin(['--version']);
    const { version } = JSON.parse(
      readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
    );
    expect(result).toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  it('exits 2 with usage for no command, an unknown command or an unknown subcommand', async () => {
    const none = await runBin([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage: birdstream <command>');
    const unknown = await runBin(['fetch']);
    expect(unknown.code).toBe(2);
    expectOneLineError(unknown.stderr, /Unknown command 'fetch'\. See 'birdstream --help'\./);
    const sub = await runBin(['rules', 'add']);
    expect(sub.code).toBe(2);
    expectOneLineError(sub.stderr, /Unknown command 'rules add'\. See 'birdstream rules --help'\./);
  });

  it('refuses a token on the command line, explains why, and never echoes it', async () => {
    for (const args of [
      ['stream', '--token', TOKEN],
      ['rules', 'list', `--token=${TOKEN}`],
      ['rules', 'sync', 'rules.json', '--bearer-token', TOKEN],
    ]) {
      const result = await runBin(args);
      expect(result.code).toBe(2);
      expectOneLineError(
        result.stderr,
        /is not accepted: a token on the command line ends up in shell history and process lists\. Set X_BEARER_TOKEN/,
      );
      expectNoToken(result);
    }
  });

  it('never echoes the token, even when it is passed as an argument by mistake', async () => {
    const result = await runBin(['rules', 'list', TOKEN], { env: { X_BEARER_TOKEN: TOKEN } });
    expect(result.code).toBe(2);
    expectOneLineError(result.stderr, /Unexpected argument '\*\*\*'/);
    expectNoToken(result);
  });

  it('checks --base-url and BIRDSTREAM_BASE_URL', async () => {
    const flag = await runBin(['rules', 'list', '--base-url', 'ftp://example.com'], {
      env: { X_BEARER_TOKEN: TOKEN },
    });
    expect(flag.code).toBe(2);
    expectOneLineError(flag.stderr, /--base-url must use http or https, got "ftp:"/);
    const env = await runBin(['stream'], {
      env: { X_BEARER_TOKEN: TOKEN, BIRDSTREAM_BASE_URL: 'not a url' },
    });
    expect(env.code).toBe(2);
    expectOneLineError(env.stderr, /BIRDSTREAM_BASE_URL must be an absolute http\(s\) URL/);
  });
});
