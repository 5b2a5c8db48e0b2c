import { session } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as fake from '../../fakes/electron';
import { hardenSession, hardenWebContents } from '../../../main/app/hardening';
import { APP_ORIGIN } from '../../../main/app/origin';

vi.mock('electron', () => import('../../fakes/electron'));

describe('hardenSession', () => {
  let ses: fake.FakeSession;

  beforeEach(async () => {
    fake.resetFake();
    await fake.emitReady();
    hardenSession(session.defaultSession, APP_ORIGIN);
    ses = fake.fakeDefaultSession();
  });

  it.each(['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal', 'fullscreen'])(
    'denies the %s permission request',
    (permission) => {
      const callback = vi.fn<(granted: boolean) => void>();
      ses.permissionRequestHandler?.(null, permission, callback, {});
      expect(callback).toHaveBeenCalledExactlyOnceWith(false);
    },
  );

  it('answers every permission check with false', () => {
    expect(ses.permissionCheckHandler?.(null, 'media', APP_ORIGIN, {})).toBe(false);
    expect(ses.permissionCheckHandler?.(null, 'clipboard-sanitized-write', APP_ORIGIN, {})).toBe(false);
  });

  it('denies every device permission', () => {
    expect(ses.devicePermissionHandler?.({ deviceType: 'usb', origin: APP_ORIGIN })).toBe(false);
  });

  it('cancels every download', () => {
    const event = fake.fakeEvent();
    const item = { cancel: vi.fn() };
    expect(ses.listenerCount('will-download')).toBe(1);
    ses.emit('will-download', event, item, null);
    expect(event.defaultPrevented).toBe(true);
    expect(item.cancel).toHaveBeenCalledOnce();
  });

  function cancels(url: string): boolean | undefined {
    const callback = vi.fn<(response: { readonly cancel?: boolean }) => void>();
    ses.beforeRequest?.({ url }, callback);
    expect(callback).toHaveBeenCalledOnce();
    return callback.mock.calls[0]?.[0].cancel;
  }

  it.each([
    'https://example.com/',
    'http://127.0.0.1:8080/x',
    'file:///etc/passwd',
    'app://other/index.html',
    'ws://example.com/',
  ])('cancels a request to %s', (url) => {
    expect(cancels(url)).toBe(true);
  });

  it.each(['app://earmark/index.html', 'app://earmark/assets/app.js', 'blob:app://earmark/5d1c-4e7a'])(
    'lets a request to %s through',
    (url) => {
      expect(cancels(url)).toBe(false);
    },
  );

  it('allows the dev server only when one is given', async () => {
    fake.resetFake();
    await fake.emitReady();
    hardenSession(session.defaultSession, APP_ORIGIN, 'http://localhost:5173');
    ses = fake.fakeDefaultSession();
    expect(cancels('http://localhost:5173/src/main.tsx')).toBe(false);
    expect(cancels('http://localhost:5174/')).toBe(true);
  });
});

describe('hardenWebContents', () => {
  let contents: fake.FakeWebContents;

  beforeEach(() => {
    fake.resetFake();
    hardenWebContents(APP_ORIGIN);
    contents = new fake.FakeWebContents();
    fake.app.emit('web-contents-created', fake.fakeEvent(), contents);
  });

  function prevented(eventName: string, url: string): boolean {
    const event = fake.fakeEvent();
    contents.emit(eventName, event, url);
    return event.defaultPrevented;
  }

  it.each(['will-navigate', 'will-redirect'])('prevents %s to another site', (eventName) => {
    expect(prevented(eventName, 'https://example.com')).toBe(true);
    expect(prevented(eventName, 'file:///etc/passwd')).toBe(true);
    expect(prevented(eventName, 'app://evil/index.html')).toBe(true);
  });

  it.each(['will-navigate', 'will-redirect'])('allows %s within the app origin', (eventName) => {
    expect(prevented(eventName, 'app://earmark/other')).toBe(false);
  });

  it('denies every new window', () => {
    expect(contents.windowOpenHandler?.({ url: 'https://example.com' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'app://earmark/index.html' })).toEqual({ action: 'deny' });
  });

  it('prevents attaching a webview', () => {
    expect(prevented('will-attach-webview', 'app://earmark/index.html')).toBe(true);
  });

  it('allows navigation to the dev server only when one is given', () => {
    fake.resetFake();
    hardenWebContents(APP_ORIGIN, 'http://localhost:5173');
    contents = new fake.FakeWebContents();
    fake.app.emit('web-contents-created', fake.fakeEvent(), contents);
    expect(prevented('will-navigate', 'http://localhost:5173/')).toBe(false);
    expect(prevented('will-navigate', 'https://example.com')).toBe(true);
  });
});
