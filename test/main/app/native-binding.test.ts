import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { electronNativeBinding } from '../../../main/app/native-binding';

describe('electronNativeBinding', () => {
  it('points a development build at the Electron-ABI copy of better-sqlite3', () => {
    expect(electronNativeBinding('/repo', '41.10.0', false)).toBe(
      join('/repo', '.native', 'electron-41.10.0', 'better_sqlite3.node'),
    );
  });

  it('leaves a packaged app with its bundled build', () => {
    expect(electronNativeBinding('/repo', '41.10.0', true)).toBeUndefined();
  });
});
