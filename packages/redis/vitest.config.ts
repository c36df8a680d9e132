import { mergeConfig } from 'vitest/config';
import { packageProject } from '../../vitest.shared.ts';

export default mergeConfig(packageProject('redis'), {
  test: {
    // Makes sure redis-server is installed (apt-get as root in CI) before any test starts one.
    globalSetup: ['./test/helpers/global-setup.ts'],
  },
});
