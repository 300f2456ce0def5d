import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'bench/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // The access log's seal key, installed in every test process (src/test-support/access-seal.ts).
    setupFiles: ['src/test-support/access-seal.ts'],
    // Vitest's default, one worker per core but one, leaves a two-core machine with a single
    // worker; test files wait on PostgreSQL, spawned servers and timers as much as they
    // compute, so two run side by side even there.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
