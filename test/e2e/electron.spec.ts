/**
 * The real app in Electron. Runs wherever the Electron binary is installed; machines that
 * cannot download it (ELECTRON_SKIP_BINARY_DOWNLOAD) report this spec as skipped.
 */
import { _electron as electron, expect, test } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

function electronBinary(): string | undefined {
  try {
    const path = createRequire(__filename)('electron') as unknown;
    return typeof path === 'string' && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

const binary = electronBinary();
const root = resolve(__dirname, '../..');

test.describe('Electron app', () => {
  test.skip(
    !binary,
    'No Electron binary on this machine (installed with ELECTRON_SKIP_BINARY_DOWNLOAD); the browser harness covers the renderer and handlers.',
  );

  test('starts sandboxed, shows the demo reviewer and answers over real IPC', async () => {
    const userData = mkdtempSync(join(tmpdir(), 'earmark-electron-'));
    const app = await electron.launch({
      ...(binary ? { executablePath: binary } : {}),
      args: [join(root, 'out/main/index.js'), `--user-data-dir=${userData}`],
      cwd: root,
    });
    try {
      const page = await app.firstWindow();
      await expect(page.getByTestId('reviewer')).toContainText('demo-');
      expect(page.url()).toBe('app://earmark/index.html');
      const info = await page.evaluate(() => window.reviewer.app.getInfo());
      expect(info.ok).toBe(true);
      expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    } finally {
      await app.close();
      rmSync(userData, { recursive: true, force: true });
    }
  });

  test('refuses a debugging switch and quits before any window', () => {
    // Checked as a packaged build checks it; a development build skips the check otherwise.
    const run = spawnSync(binary ?? '', [join(root, 'out/main/index.js'), '--remote-debugging-port=0'], {
      cwd: root,
      env: { ...process.env, EARMARK_STRICT_SWITCHES: '1' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(`${run.stdout}${run.stderr}`).toContain('--remote-debugging-port');
  });
});
