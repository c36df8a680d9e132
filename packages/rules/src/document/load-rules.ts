import { ConfigError } from '@birdstream/core';
import { parseRulesDocument, type RulesDocument } from './parse-rules-document.js';

/**
 * Reads a JSON rules file and parses it with {@link parseRulesDocument}
 * (Node.js only). Problems are reported against the file's name.
 *
 * @example
 * ```ts
 * const { rules } = await loadRules('rules.json');
 * ```
 */
export async function loadRules(path: string): Promise<RulesDocument> {
  const { readFile } = await import('node:fs/promises');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError(`Cannot read the rules file ${path} (${reason}); check the path.`);
  }
  return parseRulesDocument(text, { file: path });
}
