import type { BrowserWindow } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import * as fake from '../../fakes/electron';
import { createSyncDialogs, packageChooserProperties } from '../../../main/app/sync-dialogs';

vi.mock('electron', () => import('../../fakes/electron'));

describe('the package chooser', () => {
  // Only passed through to the dialog, which the fake records.
  const window = { id: 1 } as unknown as BrowserWindow;

  it('asks the native open dialog for one .earmark file and gives back its path', async () => {
    fake.resetFake();
    fake.answerDialogs({ folder: '/media/usb/b-AAAAAAAAAAAA0001.earmark' });
    const dialogs = createSyncDialogs(fake.dialog, () => window, 'linux');
    await expect(dialogs.choosePackage()).resolves.toBe('/media/usb/b-AAAAAAAAAAAA0001.earmark');
    const [call] = fake.recordedCalls('dialog.showOpenDialog');
    expect(call?.args[0]).toBe(window);
    expect(call?.args[1]).toMatchObject({
      properties: ['openFile'],
      filters: [{ extensions: ['earmark'] }],
    });
  });

  it('lets macOS pick a file or a folder in the one dialog; elsewhere the folder has its own chooser', () => {
    expect(packageChooserProperties('darwin')).toEqual(['openFile', 'openDirectory']);
    // Windows and Linux show a folder chooser alone when asked for both.
    expect(packageChooserProperties('win32')).toEqual(['openFile']);
    expect(packageChooserProperties('linux')).toEqual(['openFile']);
  });

  it('answers null when the reviewer cancels, or when there is no window to hang the dialog on', async () => {
    fake.resetFake();
    fake.answerDialogs({ folder: null });
    await expect(createSyncDialogs(fake.dialog, () => window, 'linux').choosePackage()).resolves.toBeNull();
    await expect(createSyncDialogs(fake.dialog, () => undefined, 'linux').choosePackage()).resolves.toBeNull();
    expect(fake.recordedCalls('dialog.showOpenDialog')).toHaveLength(1);
  });
});
