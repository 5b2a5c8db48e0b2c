/**
 * How the e2e suite and the renderer benchmark launch Chromium: Debian's /usr/bin/chromium (or
 * EARMARK_CHROMIUM) where present, otherwise Playwright's own browser if one is installed. The
 * flags keep a closed network quiet.
 */
import type { LaunchOptions } from '@playwright/test';
import { existsSync } from 'node:fs';

const systemChromium = process.env['EARMARK_CHROMIUM'] ?? '/usr/bin/chromium';
const executablePath = existsSync(systemChromium) ? systemChromium : undefined;

export const chromiumLaunchOptions = {
  ...(executablePath ? { executablePath } : {}),
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--autoplay-policy=no-user-gesture-required',
    // A fake microphone and camera exist, so a refused getUserMedia proves a refusal, not a missing device.
    '--use-fake-device-for-media-stream',
  ],
} satisfies LaunchOptions;
