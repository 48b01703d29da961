// Test runner configuration: unit, integration and e2e suites under test/.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Most suites wait on real servers (brokers booting, databases, child agents) more than they compute: three
    // workers on two cores keep the line well under its 15-minute budget (the default is one worker here).
    maxWorkers: 3,
  },
});
