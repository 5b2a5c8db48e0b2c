/**
 * Session- and app-wide rules that hold for every web contents we ever create: no permissions,
 * no downloads, no navigation away, no new windows, no webviews, no remote requests.
 */
import { app, type Session } from 'electron';
import { isNavigationAllowed, isRequestAllowed } from './navigation';

export function hardenSession(ses: Session, appOrigin: string, devServerUrl?: string): void {
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  ses.on('will-download', (event, item) => {
    event.preventDefault();
    item.cancel();
  });
  ses.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !isRequestAllowed(details.url, appOrigin, devServerUrl) });
  });
}

export function hardenWebContents(appOrigin: string, devServerUrl?: string): void {
  const allowed = (url: string): boolean =>
    isNavigationAllowed(url, appOrigin) || (devServerUrl !== undefined && isNavigationAllowed(url, devServerUrl));
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!allowed(url)) {
        event.preventDefault();
      }
    });
    contents.on('will-redirect', (event, url) => {
      if (!allowed(url)) {
        event.preventDefault();
      }
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}
