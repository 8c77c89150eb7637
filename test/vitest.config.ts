import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('..', import.meta.url)),
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 180_000,
    globalSetup: ['./test/helpers/rgw-global-setup.ts', './test/security/secret-scan-global-setup.ts'],
    setupFiles: ['./test/helpers/secret-scan-setup.ts'],
    reporters: ['default', './test/helpers/summary-reporter.ts'],
  },
});
