import { mergeConfig } from 'vitest/config';
import { packageProject } from '../../vitest.shared.ts';

export default mergeConfig(packageProject('prometheus'), {
  test: {
    // The Ingestor is tested against a real redis-server (installed by this setup when missing).
    globalSetup: ['../redis/test/helpers/global-setup.ts'],
  },
});
