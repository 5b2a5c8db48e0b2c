/**
 * The renderer's origin. The UI is served from `app://earmark/`; WHATWG URL gives custom
 * schemes an opaque origin ("null"), so origins are compared by scheme and host.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'earmark';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** True when `url` parses and has the same scheme and host as `origin`. */
export function isSameOrigin(url: string | undefined, origin: string): boolean {
  if (!url) {
    return false;
  }
  try {
    const a = new URL(url);
    const b = new URL(origin);
    return a.protocol === b.protocol && a.host === b.host && a.username === '' && a.password === '';
  } catch {
    return false;
  }
}
