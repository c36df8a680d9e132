import { packageProject } from '../vitest.shared.ts';

/** Tests of the repository's own scripts (`scripts/*.mjs`). */
export default packageProject('scripts');
