/**
 * The preload: exposes `window.reviewer`, built from the contract over ipcRenderer. The only
 * module that touches ipcRenderer (lint enforces it); the page never sees ipcRenderer itself.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createApi, type Transport } from '../shared/ipc/create-api';

const transport: Transport = {
  invoke: (channel, payload) => ipcRenderer.invoke(channel, payload),
  subscribe: (event, listener) => {
    // Wrap so the page's callback never receives the IpcRendererEvent (it holds `sender`).
    const wrapped = (_event: unknown, payload: unknown): void => listener(payload);
    ipcRenderer.on(event, wrapped);
    return () => {
      ipcRenderer.removeListener(event, wrapped);
    };
  },
};

contextBridge.exposeInMainWorld('reviewer', createApi(transport));
