import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('..', import.meta.url)),
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Node 20 here: the AWS SDK's "upgrade to Node 22" notice is said once, in README (src/runtime/sdk-notice.ts).
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    reporters: ['default', fileURLToPath(new URL('./support/summary-reporter.ts', import.meta.url))],
  },
});
