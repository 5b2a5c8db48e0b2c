import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { electronNativeBinding } from '../../../main/app/native-binding';

describe('electronNativeBinding', () => {
  it('points a development build at the Electron-ABI copy of better-sqlite3', () => {
    expect(electronNativeBinding('/repo', '45.6.1', false)).toBe(
      join('/repo', '.native', 'electron-45.6.1', 'better_sqlite3.node'),
    );
  });

  it('leaves a packaged app with its bundled build', () => {
    expect(electronNativeBinding('/repo', '45.6.1', true)).toBeUndefined();
  });
});
