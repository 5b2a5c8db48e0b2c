import react from '@vitejs/plugin-react';
import { defineConfig, externalizeDepsPlugin } from 'electron-vite';
import { resolve } from 'node:path';

export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin()],
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'main/index.ts'),
          // Imports run in a worker thread (main/services/import/import-worker-files.ts finds it here).
          'import-worker': resolve(__dirname, 'main/services/import/import.worker.ts'),
          // Its checkpointer thread, started by the import worker (which is told where it is).
          'import-checkpointer': resolve(__dirname, 'main/services/import/import-checkpoint.worker.ts'),
        },
      },
    },
  },
  preload: {
    // The preload runs sandboxed: it may require only 'electron', so everything else is bundled.
    build: {
      outDir: 'out/preload',
      rollupOptions: { input: { index: resolve(__dirname, 'preload/index.ts') }, external: ['electron'] },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    plugins: [react()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      // Inline nothing: the CSP allows only files served from our own origin.
      assetsInlineLimit: 0,
      rollupOptions: { input: resolve(__dirname, 'renderer/index.html') },
    },
  },
});
