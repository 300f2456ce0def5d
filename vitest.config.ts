import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/** Files that replace a built-in module for themselves (vi.mock): they get a process of their own. */
const mocking = ['src/db/store-lock.race.test.ts'];
const suite = ['src/**/*.test.ts', 'test/**/*.test.ts', 'bench/**/*.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // The access log's seal key, installed in every test process (src/test-support/access-seal.ts).
    setupFiles: ['src/test-support/access-seal.ts'],
    // On the embedded default, the migrated store every test database starts from.
    globalSetup: ['src/db/test-support/pglite-template.ts'],
    // Vitest's default, one worker per core but one, leaves a two-core machine with a single
    // worker; test files wait on PostgreSQL, spawned servers and timers as much as they
    // compute, so two run side by side even there.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      // A worker keeps its modules from one test file to the next: importing the platform
      // (Fastify, the OIDC provider, the FHIR schemas…) afresh for each of two hundred files
      // took two thirds of the suite's time. Each file still builds its own server, store
      // and clock; none changes a module's state for the files after it.
      { extends: true, test: { name: 'shared', include: suite, exclude: mocking, isolate: false } },
      { extends: true, test: { name: 'isolated', include: mocking, isolate: true } },
    ],
  },
});
