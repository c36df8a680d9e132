import { mergeConfig } from 'vitest/config';
import { packageProject } from '../../vitest.shared.ts';

// The bin tests spawn `node bin/birdstream.js`, which loads the built `dist/`
// of this package and of @birdstream/core and @birdstream/rules: the global
// setup builds whichever of them is missing or older than its sources.
export default mergeConfig(packageProject('cli'), {
  test: {
    globalSetup: ['./test/setup/build-dist.ts'],
  },
});
