// Test runner settings: integration and e2e tests start real local servers, so they get room.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default'],
    // The PDF engine's font files, as the runtimes install them.
    setupFiles: ['lambdas/runtime/pdf-fonts.ts'],
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
