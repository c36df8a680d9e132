import { describe, expect, it } from 'vitest';
import { annotationPath, formatAnnotation, inGitHubActions } from '../../src/output/annotations.js';

describe('formatAnnotation', () => {
  it('writes the workflow command GitHub turns into an annotation', () => {
    expect(
      formatAnnotation('error', { file: 'rules.json', line: 7, col: 14 }, 'Unbalanced parentheses'),
    ).toBe('::error file=rules.json,line=7,col=14::Unbalanced parentheses');
    expect(formatAnnotation('warning', { file: 'r.yaml' }, 'x')).toBe('::warning file=r.yaml::x');
  });

  it('escapes what would end the command or split it', () => {
    expect(formatAnnotation('error', { file: 'a,b:c.json', line: 1 }, '100% sure\r\nnext')).toBe(
      '::error file=a%2Cb%3Ac.json,line=1::100%25 sure%0D%0Anext',
    );
  });
});

describe('annotationPath', () => {
  it('is relative to GITHUB_WORKSPACE when the file is inside it', () => {
    expect(
      annotationPath('/repo/config/rules.json', '/repo/config', { GITHUB_WORKSPACE: '/repo' }),
    ).toBe('config/rules.json');
    expect(annotationPath('rules.json', '/repo/config', { GITHUB_WORKSPACE: '/repo' })).toBe(
      'config/rules.json',
    );
  });

  it('falls back to the working directory, then to the path as given', () => {
    expect(annotationPath('./rules.json', '/work', {})).toBe('rules.json');
    expect(annotationPath('/elsewhere/rules.json', '/work', {})).toBe('/elsewhere/rules.json');
  });
});

it('detects GitHub Actions only from GITHUB_ACTIONS=true', () => {
  expect(inGitHubActions({ GITHUB_ACTIONS: 'true' })).toBe(true);
  expect(inGitHubActions({ GITHUB_ACTIONS: 'false' })).toBe(false);
  expect(inGitHubActions({})).toBe(false);
});
