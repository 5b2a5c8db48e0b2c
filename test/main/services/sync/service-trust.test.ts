/**
 * The service's signing key on a workstation: pinned by the policy, or taken on first use and
 * kept sealed; any other key later is refused, and a kept key deleted in the database is
 * refused rather than taken again.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signingPublicKeyText } from '../../../../service/service-signature';
import { createServices, type Services } from '../../../../main/services';
import { silentLogger } from '../../../../main/log/logger';
import type { Policy } from '../../../../main/policy/policy.schema';
import { startTestService, type TestService } from '../../../support/reference-service';
import { testServiceSigningKey } from '../../../support/signed-identity';
import { makeTempDir } from '../../../support/temp-dir';
import { testKeyStore } from '../../../support/test-safe-storage';

describe('service signing key on the workstation', () => {
  let svc: TestService;
  let tmp: ReturnType<typeof makeTempDir>;
  let open: Services[];
  /** A start of the app over the test's data folder, pointed at `url`. */
  const start = (url: string, policy?: Policy): Services => {
    const services = createServices({
      dataDir: tmp.dir,
      appVersion: '0.0.0-test',
      logger: silentLogger,
      keyStore: testKeyStore(tmp.dir),
      serviceUrl: url,
      ...(policy ? { policy } : {}),
    });
    open.push(services);
    return services;
  };
  const stop = (services: Services): void => {
    services.close();
    open = open.filter((s) => s !== services);
  };

  beforeEach(async () => {
    svc = await startTestService();
    tmp = makeTempDir('earmark-trust-');
    open = [];
  });
  afterEach(async () => {
    open.forEach((s) => s.close());
    tmp.remove();
    await svc.stop();
  });

  it('takes the key on first use, shows it, keeps it across a restart, and refuses another one loudly', async () => {
    let app = start(svc.url);
    expect(app.sync.status().serviceKey).toBeNull();
    await app.sync.signIn(svc.credentials());
    const shown = app.sync.status().serviceKey;
    expect(shown).toMatchObject({ pinned: false, refused: null });
    expect(shown?.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    stop(app);
    app = start(svc.url);
    expect(app.sync.status().serviceKey).toEqual(shown);
    stop(app);

    // Another service process, with a signing key of its own, at the same place.
    await svc.stop();
    svc = await startTestService();
    app = start(svc.url);
    await app.lock.unlock(svc.reviewer.password);
    await expect(app.sync.signIn(svc.credentials())).rejects.toMatchObject({ code: 'SERVICE_UNTRUSTED' });
    expect(app.sync.status().serviceKey).toMatchObject({ fingerprint: shown?.fingerprint });
    expect(app.sync.status().serviceKey?.refused).toMatch(/^[0-9a-f]{64}$/);
    expect(app.sync.status().connection).not.toBe('online');
  });

  it('refuses a service whose key is not the one the policy pins', async () => {
    const app = start(svc.url, { servicePublicKey: signingPublicKeyText(testServiceSigningKey) });
    await expect(app.sync.signIn(svc.credentials())).rejects.toMatchObject({ code: 'SERVICE_UNTRUSTED' });
    expect(app.sync.status()).toMatchObject({ connection: 'signedOut', serviceKey: { pinned: true } });
  });

  it('signs in where the policy pins the service key', async () => {
    const app = start(svc.url, { servicePublicKey: signingPublicKeyText(svc.service.core.signingKey) });
    await app.sync.signIn(svc.credentials());
    await app.sync.syncNow();
    expect(app.sync.status()).toMatchObject({ connection: 'online', serviceKey: { pinned: true, refused: null } });
  });

  it('refuses a kept key deleted in the database instead of taking the next one offered', async () => {
    let app = start(svc.url);
    await app.sync.signIn(svc.credentials());
    stop(app);
    const db = new Database(join(tmp.dir, 'earmark.db'));
    db.prepare("DELETE FROM settings WHERE key = 'sealed.serviceSigningKey'").run();
    db.close();
    app = start(svc.url);
    await app.lock.unlock(svc.reviewer.password);
    await expect(app.sync.signIn(svc.credentials())).rejects.toMatchObject({ code: 'SERVICE_UNTRUSTED' });
  });
});
