/**
 * The only module that touches ipcMain (lint enforces it). Registers the dispatcher for every
 * channel and forwards push events to our windows.
 */
import { BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron';
import { invokeChannels } from '../../shared/ipc/channels';
import type { EventHub } from '../services/event-hub';
import type { Dispatcher } from './dispatcher';
import type { SenderInfo } from './sender';

export function senderOf(event: IpcMainInvokeEvent, ownWindowIds: ReadonlySet<number>): SenderInfo {
  const win = BrowserWindow.fromWebContents(event.sender);
  return {
    frameUrl: event.senderFrame?.url,
    fromOwnWindow: win !== null && ownWindowIds.has(win.id),
  };
}

/** Registers one ipcMain handler per contract channel. */
export function registerIpc(dispatcher: Dispatcher, ownWindowIds: ReadonlySet<number>): void {
  for (const channel of invokeChannels) {
    ipcMain.handle(channel, (event, payload: unknown) =>
      dispatcher.invoke(senderOf(event, ownWindowIds), channel, payload),
    );
  }
}

/** Sends every service event to the windows we own. Returns the unsubscribe. */
export function forwardEvents(events: EventHub, ownWindowIds: ReadonlySet<number>): () => void {
  return events.subscribe((event, payload) => {
    for (const id of ownWindowIds) {
      const win = BrowserWindow.fromId(id);
      if (win && !win.isDestroyed()) {
        win.webContents.send(event, payload);
      }
    }
  });
}
