/**
 * The application menu of a packaged build. Without one, Electron installs its default menu:
 * Edit with Copy and Cut (clip text to the OS clipboard) and View with Reload and Toggle
 * Developer Tools. This one keeps what editing needs — undo, redo, paste, select all, as roles
 * so their macOS shortcuts keep working — and nothing that copies text out, reloads or debugs.
 */
import type { MenuItemConstructorOptions } from 'electron';

/** The menu roles a packaged build offers; a test checks the menu holds no other. */
export const MENU_ROLES = ['undo', 'redo', 'paste', 'selectAll', 'about', 'hide', 'quit', 'minimize', 'close'] as const;

export function appMenuTemplate(platform: NodeJS.Platform, appName: string): MenuItemConstructorOptions[] {
  const edit: MenuItemConstructorOptions = {
    label: 'Edit',
    submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'paste' }, { role: 'selectAll' }],
  };
  const window: MenuItemConstructorOptions = {
    label: 'Window',
    submenu: [{ role: 'minimize' }, { role: 'close' }],
  };
  if (platform !== 'darwin') {
    return [edit, window];
  }
  // macOS puts About, Hide and Quit (with ⌘H and ⌘Q) in the menu named after the app.
  return [
    { label: appName, submenu: [{ role: 'about' }, { type: 'separator' }, { role: 'hide' }, { role: 'quit' }] },
    edit,
    window,
  ];
}
