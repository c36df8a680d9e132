import { isAbsolute, relative } from 'node:path';
import type { Env } from '../cli/env.js';

/** Severity of a GitHub Actions annotation. */
export type AnnotationLevel = 'error' | 'warning' | 'notice';

/** Where an annotation points. Lines and columns are 1-based. */
export interface AnnotationLocation {
  file: string;
  line?: number;
  col?: number;
}

/** True when running inside GitHub Actions (`GITHUB_ACTIONS=true`). */
export function inGitHubActions(env: Env): boolean {
  return env.GITHUB_ACTIONS === 'true';
}

/**
 * A workflow command GitHub turns into an annotation on the pull request's
 * diff: `::error file=rules.json,line=7,col=14::message`. Values are escaped
 * as the runner expects (`%`, CR, LF everywhere; also `:` and `,` in properties).
 */
export function formatAnnotation(
  level: AnnotationLevel,
  location: AnnotationLocation,
  message: string,
): string {
  const properties = [`file=${escapeProperty(location.file)}`];
  if (location.line !== undefined) properties.push(`line=${location.line}`);
  if (location.col !== undefined) properties.push(`col=${location.col}`);
  return `::${level} ${properties.join(',')}::${escapeData(message)}`;
}

/**
 * The path GitHub can match to the repository: relative to
 * `GITHUB_WORKSPACE` (the checkout) when the file lies inside it, otherwise
 * relative to the working directory, with forward slashes.
 */
export function annotationPath(file: string, cwd: string, env: Env): string {
  const absolute = isAbsolute(file) ? file : `${cwd.replace(/[/\\]+$/, '')}/${file}`;
  const workspace = env.GITHUB_WORKSPACE;
  const base = workspace && isInside(absolute, workspace) ? workspace : cwd;
  const rel = relative(base, absolute);
  const chosen = rel === '' || rel.startsWith('..') || isAbsolute(rel) ? file : rel;
  return chosen.split('\\').join('/');
}

function isInside(file: string, dir: string): boolean {
  const rel = relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
