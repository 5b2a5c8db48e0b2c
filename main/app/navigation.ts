import { isSameOrigin } from '../ipc/origin';

/**
 * The only navigation a window may make is within our own origin (a reload, an in-app route).
 * Everything else — links, redirects, `location = …` — is refused, and nothing is opened in an
 * external browser: that would be a path for clip content to leave the app.
 */
export function isNavigationAllowed(url: string, appOrigin: string): boolean {
  return isSameOrigin(url, appOrigin);
}

/** Schemes a page of ours may request: our protocol, in-memory blobs and inline data. */
export function isRequestAllowed(url: string, appOrigin: string, devServerUrl?: string): boolean {
  if (isSameOrigin(url, appOrigin)) {
    return true;
  }
  if (devServerUrl && isSameOrigin(url, devServerUrl)) {
    return true;
  }
  return url.startsWith('blob:') || url.startsWith('data:') || url.startsWith('devtools:');
}
