// Rules on Bun or Deno: a dry run (one valid rule, one X refuses), the list, the real add, the
// list again, and the offline check.
import { RulesClient, validateRule } from '@birdstream/rules';
import { config, describeError, emit, finish, runtime } from './lib.mjs';

const { baseUrl, token } = config();
emit({ type: 'runtime', runtime });
const rules = new RulesClient({ bearerToken: token, baseUrl });
const wanted = [
  { value: 'birdstream (bun OR deno) -is:retweet', tag: 'runtimes' },
  { value: 'has:media', tag: 'standalone operator' },
];
const outcome = (result) =>
  result.results.map((r) => ({ status: r.status, value: r.input.value, id: r.rule?.id }));
try {
  const dry = await rules.add(wanted, { dryRun: true });
  emit({ type: 'dry-run', dryRun: dry.dryRun, ok: dry.ok, results: outcome(dry) });
  emit({ type: 'list', when: 'after dry run', rules: await rules.list() });
  const added = await rules.add([wanted[0]]);
  emit({ type: 'add', ok: added.ok, results: outcome(added) });
  emit({ type: 'list', when: 'after add', rules: await rules.list() });
  emit({
    type: 'offline',
    valid: validateRule(wanted[0].value).valid,
    invalid: validateRule('(cats').valid,
  });
} catch (error) {
  emit({ type: 'error', error: describeError(error) });
}
finish();
