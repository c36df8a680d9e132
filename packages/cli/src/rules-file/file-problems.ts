import type { RulesDocumentResult } from '@birdstream/rules';
import type { FileProblem, ParsedRulesText } from './types.js';

/**
 * A rules document read by `@birdstream/rules` as the CLI reports it: its
 * issues become errors of the file, merged with the format's own `extra`
 * problems; problems stay in document order, grouped by rule.
 */
export function fileProblems(
  result: RulesDocumentResult,
  extra: readonly FileProblem[] = [],
): ParsedRulesText {
  const problems = result.issues.map(
    ({ code, message, line, column, index }): FileProblem =>
      index === undefined
        ? { severity: 'error', code, message, line, column }
        : { severity: 'error', code, message, line, column, ruleIndex: index },
  );
  problems.push(...extra);
  // Stable: a rule's errors keep their order, and its format warnings follow them.
  problems.sort((a, b) => (a.ruleIndex ?? -1) - (b.ruleIndex ?? -1));
  return {
    rules: result.rules,
    flagged: result.flaggedRules,
    problems,
    entries: result.entries,
  };
}
