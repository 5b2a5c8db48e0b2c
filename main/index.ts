import { join } from 'node:path';
import { startShell } from './app/shell';
import { createLogger } from './log/logger';

startShell({
  // electron-vite emits main, preload and renderer side by side under out/.
  outDir: join(__dirname, '..'),
  logger: createLogger(process.env['EARMARK_LOG_LEVEL'] === 'debug' ? 'debug' : 'info'),
  devServerUrl: process.env['ELECTRON_RENDERER_URL'],
});
