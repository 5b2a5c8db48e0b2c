/**
 * The renderer's origin. The UI is served from `app://earmark/`; origins are compared with
 * `isSameOrigin` (main/ipc/origin.ts) by scheme and host.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'earmark';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
