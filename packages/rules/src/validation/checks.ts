import { closestKey } from '../document/did-you-mean.js';
import { byPosition, problemAt, X_MESSAGES } from './messages.js';
import { findOperator, OPERATORS, type OperatorSpec } from './operators.js';
import type { ParseIssue, RuleNode } from './parser.js';
import type { RuleTier } from './tiers.js';
import type { OperatorTerm, Term, TokenIssue } from './tokenizer.js';
import type { RuleProblem } from './types.js';

/** At most this many non-negated terms per rule (X's recorded message, spec §3.4). */
export const MAX_POSITIVE_CLAUSES = 30;

/** Longest proximity distance in `"a b"~N` (spec §3.6). */
export const MAX_PROXIMITY = 6;

/** Collects the problems and warnings of one rule. */
export class RuleChecks {
  readonly problems: RuleProblem[] = [];
  readonly warnings: RuleProblem[] = [];

  constructor(
    private readonly value: string,
    private readonly options: { maxLength: number; tier?: RuleTier | undefined },
  ) {}

  result(): { problems: RuleProblem[]; warnings: RuleProblem[] } {
    return {
      problems: [...this.problems].sort(byPosition),
      warnings: [...this.warnings].sort(byPosition),
    };
  }

  /** The whole string counts, spaces and operators included (spec §3.5). */
  length(): void {
    const { maxLength } = this.options;
    if (this.value.length > maxLength) {
      this.problems.push(
        problemAt(
          'too-long',
          0,
          this.value.length,
          X_MESSAGES.tooLong(this.value, this.value.length, maxLength),
        ),
      );
    }
  }

  tokenIssues(issues: readonly TokenIssue[]): void {
    for (const issue of issues) {
      switch (issue.code) {
        case 'unbalanced-quotes':
          this.problems.push(
            problemAt(
              issue.code,
              issue.start,
              1,
              `Unbalanced quotes: this '"' is never closed; add a closing '"'`,
            ),
          );
          break;
        case 'unbalanced-brackets':
          this.problems.push(
            problemAt(
              issue.code,
              issue.start,
              1,
              `Unbalanced brackets: this '[' is never closed; add a ']'`,
            ),
          );
          break;
        case 'lone-dash':
          this.loneDash(issue.start);
          break;
      }
    }
  }

  parseIssues(issues: readonly ParseIssue[]): void {
    for (const issue of issues) {
      switch (issue.code) {
        case 'unbalanced-parentheses':
          this.problems.push(
            problemAt(
              issue.code,
              issue.start,
              1,
              issue.missing === ')'
                ? `Unbalanced parentheses: this '(' is never closed; add a ')'`
                : `Unbalanced parentheses: this ')' has no matching '('`,
            ),
          );
          break;
        case 'negated-group':
          this.problems.push(
            problemAt(
              issue.code,
              issue.start,
              issue.length,
              'Negating a group with -( ... ) is not allowed; negate each term instead, as in skiing -snow -day',
            ),
          );
          break;
        case 'empty-group':
          this.problems.push(
            problemAt(
              issue.code,
              issue.start,
              issue.length,
              'Empty parentheses: a group needs at least one term',
            ),
          );
          break;
        case 'dangling-or':
          this.problems.push(
            problemAt(issue.code, issue.start, 2, 'OR needs a term on both sides'),
          );
          break;
        case 'lone-dash':
          this.loneDash(issue.start);
          break;
      }
    }
  }

  private loneDash(offset: number): void {
    this.warnings.push(
      problemAt(
        'lone-dash',
        offset,
        1,
        "This '-' negates nothing because a space or the end follows it; attach it to the term to exclude, as in -grumpy",
      ),
    );
  }

  /** Checks every term: keywords, phrases and operators, with their negation. */
  terms(leaves: readonly Leaf[]): void {
    for (const leaf of leaves) {
      const { term } = leaf.node;
      if (term.type === 'keyword') this.keyword(leaf, term);
      else if (term.type === 'phrase') this.phrase(leaf, term);
      else if (term.type === 'operator') this.operator(leaf, term);
    }
  }

  private keyword(leaf: Leaf, term: Extract<Term, { type: 'keyword' }>): void {
    const at = leaf.node.negated ? leaf.node.start + 1 : leaf.node.start;
    if (/^or$/i.test(term.text)) {
      this.problems.push(problemAt('ambiguous-or', at, term.text.length, X_MESSAGES.ambiguousOr));
    } else if (term.text === 'AND') {
      this.warnings.push(
        problemAt(
          'and-keyword',
          at,
          3,
          "AND is not an operator in X rules: a space already means AND, so this matches the word 'and'; remove it",
        ),
      );
    } else if (term.emptyOperator !== undefined && findOperator(`${term.emptyOperator}:`)) {
      const name = term.emptyOperator;
      this.warnings.push(
        problemAt(
          'operator-without-value',
          at,
          term.text.length,
          `'${name}:' is followed by a space, so it is read as the keyword '${name}:' and not as the ${name}: operator; write the value right after the colon, quoted if it has spaces, as in ${name}:"San Francisco"`,
        ),
      );
    }
  }

  private phrase(leaf: Leaf, term: Extract<Term, { type: 'phrase' }>): void {
    const quoteAt = leaf.node.negated ? leaf.node.start + 1 : leaf.node.start;
    if (term.closed && term.text.trim() === '') {
      this.problems.push(
        problemAt('invalid-argument', quoteAt, 2, 'An exact phrase "..." needs some text'),
      );
    }
    const { proximity } = term;
    if (!proximity) return;
    if (!/^[0-9]+$/.test(proximity.raw)) {
      this.problems.push(
        problemAt(
          'invalid-argument',
          proximity.start - 1,
          proximity.raw.length + 1,
          `Proximity ~N needs a whole number from 1 to ${MAX_PROXIMITY} after the ~, as in "social media"~5`,
        ),
      );
      return;
    }
    const distance = Number(proximity.raw);
    if (distance < 1 || distance > MAX_PROXIMITY) {
      this.problems.push(
        problemAt(
          'argument-out-of-range',
          proximity.start,
          proximity.raw.length,
          `Proximity distance must be between 1 and ${MAX_PROXIMITY}, got ${proximity.raw}`,
        ),
      );
    }
  }

  private operator(leaf: Leaf, term: OperatorTerm): void {
    const at = leaf.node.negated ? leaf.node.start + 1 : leaf.node.start;
    const spec = operatorSpec(term);
    const shown = isFlagFamily(term.name) ? `${term.name}:${term.value}` : term.name;
    if (!spec) {
      this.problems.push(
        problemAt(
          'unknown-operator',
          at,
          shown.length,
          `${X_MESSAGES.invalidOperator(shown)}; ${unknownOperatorHint(shown, `${term.name}:${term.value}`)}`,
        ),
      );
      return;
    }
    if (term.name !== term.name.toLowerCase()) {
      this.warnings.push(
        problemAt(
          'operator-case',
          at,
          term.name.length,
          `Operator names are lowercase in X's documentation: write ${term.name.toLowerCase()}: instead of ${term.name}:`,
        ),
      );
    }
    if (spec.negation === 'never' && leaf.negated) {
      this.problems.push(
        problemAt(
          'negation-not-allowed',
          leaf.node.start,
          1,
          `${spec.name} cannot be negated; remove the '-'`,
        ),
      );
    }
    if (spec.negation === 'required' && !leaf.negated) {
      this.problems.push(
        problemAt(
          'must-be-negated',
          at,
          spec.name.length,
          `${spec.name} is only valid negated: write -${spec.name}`,
        ),
      );
    }
    const { tier } = this.options;
    if (spec.tiers && tier && !spec.tiers.includes(tier)) {
      this.problems.push(
        problemAt(
          'unavailable-operator',
          at,
          spec.name.length,
          `${spec.name} is an unavailable operator on the ${tier} tier; it needs ${spec.tiers.join(' or ')} access`,
        ),
      );
    }
    const issue = spec.syntax === 'value' ? spec.check?.(term.value) : undefined;
    if (issue) {
      // An empty value has no character of its own: point at what precedes it.
      const offset = term.value.length > 0 ? term.valueStart : term.valueStart - 1;
      this.problems.push(
        problemAt(issue.code, offset, Math.max(term.value.length, 1), issue.message),
      );
    }
  }

  /** Counts non-negated terms; X allows at most {@link MAX_POSITIVE_CLAUSES}. */
  clauses(leaves: readonly Leaf[]): void {
    const positive = leaves.filter((leaf) => !leaf.negated).length;
    if (positive > MAX_POSITIVE_CLAUSES) {
      this.problems.push(
        problemAt(
          'too-many-positive-clauses',
          0,
          undefined,
          X_MESSAGES.tooManyPositiveClauses(positive, MAX_POSITIVE_CLAUSES),
        ),
      );
    }
  }

  /**
   * Every way the rule can match needs a positive standalone term (spec §3.6):
   * an AND needs one among its parts, an OR needs one in each branch.
   */
  anchoring(root: RuleNode, leaves: readonly Leaf[]): void {
    if (leaves.length > 0 && leaves.every((leaf) => leaf.negated)) {
      this.problems.push(problemAt('only-negated', 0, this.value.length, X_MESSAGES.onlyNegated));
      return;
    }
    this.reportUnanchored(root, false);
    if (
      this.problems.some((p) => p.code === 'no-standalone-operator' || p.code === 'only-negated')
    ) {
      return;
    }
    if (!isAnchored(root, false, true)) {
      const leaf = leaves.find((l) => !l.negated && standaloneness(l.node.term) === 'unspecified');
      if (leaf) {
        const term = leaf.node.term as OperatorTerm;
        this.warnings.push(
          problemAt(
            'undocumented-standalone',
            leaf.node.start,
            term.name.length + 1,
            `X does not document whether ${term.name}: can stand alone, and nothing else in this part of the rule is standalone; add a keyword or another standalone operator if X rejects it`,
          ),
        );
      }
    }
  }

  private reportUnanchored(node: RuleNode, negated: boolean): void {
    if (isAnchored(node, negated, false)) return;
    if (node.type === 'or') {
      for (const child of node.children) this.reportUnanchored(child, negated);
      return;
    }
    if (node.type === 'group' && node.body && !node.negated) {
      this.reportUnanchored(node.body, negated);
      return;
    }
    if (node.type === 'group' && !node.body) return; // already reported as an empty group
    const hasPositive = collectLeaves(node, negated).some((leaf) => !leaf.negated);
    const whole =
      this.value.slice(0, node.start).trim() === '' && this.value.slice(node.end).trim() === '';
    this.problems.push(
      hasPositive
        ? problemAt(
            'no-standalone-operator',
            node.start,
            node.end - node.start,
            `${whole ? 'The rule' : 'This part of the rule'} has no standalone operator: has:, is:, lang:, sample: and the other conjunction-required operators only work next to a keyword, "phrase", #hashtag, @mention, from: or another standalone operator`,
          )
        : problemAt(
            'only-negated',
            node.start,
            node.end - node.start,
            'This part of the rule has only negated terms, and negated terms cannot stand alone; add a positive keyword or standalone operator',
          ),
    );
  }
}

/** A term with its effective negation (its own `-`, or a `-( … )` around it). */
export interface Leaf {
  node: Extract<RuleNode, { type: 'term' }>;
  negated: boolean;
}

/** The terms of a tree, left to right. */
export function collectLeaves(node: RuleNode | undefined, negated = false): Leaf[] {
  if (!node) return [];
  switch (node.type) {
    case 'term':
      return [{ node, negated: negated || node.negated }];
    case 'group':
      return collectLeaves(node.body, negated || node.negated);
    case 'and':
    case 'or':
      return node.children.flatMap((child) => collectLeaves(child, negated));
  }
}

/** A did-you-mean for a mistyped operator, or how to match the text instead. */
function unknownOperatorHint(shown: string, written: string): string {
  const name = shown.includes(':') ? shown : `${shown}:`;
  const candidates = OPERATORS.filter((spec) => spec.syntax !== 'prefix').map((spec) =>
    spec.name.toLowerCase(),
  );
  const suggestion = closestKey(name, candidates);
  if (suggestion !== undefined) return `did you mean '${suggestion}'?`;
  return `filtered stream rules have no such operator (to match the text, quote it: "${written}")`;
}

function isFlagFamily(name: string): boolean {
  const lower = name.toLowerCase();
  return lower === 'is' || lower === 'has';
}

function operatorSpec(term: OperatorTerm): OperatorSpec | undefined {
  if (isFlagFamily(term.name)) return findOperator(`${term.name}:${term.value}`);
  const spec = findOperator(`${term.name}:`);
  return spec?.syntax === 'value' ? spec : undefined;
}

/** Whether a term can anchor a rule. Unknown operators are reported elsewhere and count as standalone. */
function standaloneness(term: Term): 'standalone' | 'conjunction-required' | 'unspecified' {
  if (term.type !== 'operator') return 'standalone';
  const spec = operatorSpec(term);
  return spec ? spec.kind : 'standalone';
}

function isAnchored(node: RuleNode, negated: boolean, strict: boolean): boolean {
  switch (node.type) {
    case 'term': {
      if (negated || node.negated) return false;
      const kind = standaloneness(node.term);
      return kind === 'standalone' || (kind === 'unspecified' && !strict);
    }
    case 'group':
      return node.body !== undefined && isAnchored(node.body, negated || node.negated, strict);
    case 'and':
      return node.children.some((child) => isAnchored(child, negated, strict));
    case 'or':
      return node.children.every((child) => isAnchored(child, negated, strict));
  }
}
