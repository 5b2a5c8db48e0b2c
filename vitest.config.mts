import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

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
