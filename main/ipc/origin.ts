/**
 * Origins are compared by scheme and host: WHATWG URL gives custom schemes such as `app:` an
 * opaque origin ("null"), so `URL.origin` cannot tell two app frames apart from two foreign ones.
 * It lives in the IPC layer because the sender check needs it and must not reach up into main/app.
 */

/** True when `url` parses and has the same scheme and host as `origin`, without credentials. */
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
