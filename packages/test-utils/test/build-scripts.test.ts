import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const BUILD = 'node ../../scripts/build-package.mjs';

/** Every workspace package with a build script, from packages/ and examples/. */
function builds(): { dir: string; script: string }[] {
  return ['packages', 'examples'].flatMap((group) =>
    readdirSync(join(root, group)).flatMap((name) => {
      const dir = join(root, group, name);
      try {
        const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
        return pkg.scripts?.build ? [{ dir, script: pkg.scripts.build as string }] : [];
      } catch {
        return [];
      }
    }),
  );
}

test("every package builds through scripts/build-package.mjs, never tsdown's CLI (its Node 20 notice)", () => {
  const all = builds();
  expect(all.length).toBeGreaterThanOrEqual(8);
  for (const { dir, script } of all) expect(`${dir}: ${script}`).toBe(`${dir}: ${BUILD}`);
});
