import react from '@vitejs/plugin-react';
import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [react()],
  test: {
    // Fail on a test without assertions.
    expect: { requireAssertions: true },
    // A timeout is there to end a test that hangs, not to judge speed: scrypt, sign-ins and real
    // HTTP take many times longer on a machine running other work, and a slow machine must not
    // fail the suite. Speed is measured by `npm run bench`.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: [
            'test/main/**/*.test.ts',
            'test/core/**/*.test.ts',
            'test/tools/**/*.test.ts',
            'test/shared/**/*.test.ts',
            'test/scripts/**/*.test.ts',
            'test/bench/**/*.test.ts',
            'test/build/**/*.test.ts',
            'test/crash/**/*.test.ts',
            'test/security/**/*.test.ts',
            'test/service/**/*.test.ts',
          ],
          // Tests of the PostgreSQL store alone, and of several service processes on one
          // database, need the cluster of the 'service-pg' project.
          exclude: [...configDefaults.exclude, 'test/service/store/postgres/**', 'test/service/multi-process/**'],
        },
      },
      {
        extends: true,
        test: {
          // The service suite again, on PostgreSQL: one throwaway cluster for the run, a fresh
          // database for each store a test opens (test/support/test-store.ts).
          name: 'service-pg',
          environment: 'node',
          env: { EARMARK_TEST_STORE: 'postgres' },
          globalSetup: ['test/support/pg-global-setup.ts'],
          include: ['test/service/**/*.test.ts'],
          // The SQLite store's own migrations and file-level checks have no PostgreSQL form.
          exclude: [...configDefaults.exclude, 'test/service/store/sqlite/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'renderer',
          environment: 'jsdom',
          // A console.error (an act() warning from React among them) fails the test that printed it.
          setupFiles: ['test/support/react-console-guard.ts'],
          include: ['test/renderer/**/*.test.ts', 'test/renderer/**/*.test.tsx'],
        },
      },
    ],
  },
});
