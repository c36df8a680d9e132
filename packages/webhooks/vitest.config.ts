import { mergeConfig } from 'vitest/config';
import { packageProject } from '../../vitest.shared.ts';

export default mergeConfig(packageProject('webhooks'), {
  test: {
    // The Redis dedupe store is tested against a real redis-server (installed by this setup when missing).
    globalSetup: ['../redis/test/helpers/global-setup.ts'],
  },
});
