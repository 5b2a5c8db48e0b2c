/**
 * The production switches' files: the TLS private key is a secret file like the signing and
 * results keys, refused when users other than its owner may read it.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KeyFileError } from '../../service/key-file';
import { readOperations } from '../../service/operations-options';
import type { ServiceStore } from '../../service/store/repositories';
import { openSqliteServiceStore } from '../../service/store/sqlite/service-store';
import { makeTempDir } from '../support/temp-dir';
import { operationsValues } from '../support/operations-values';

describe('the TLS private key file', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let store: ServiceStore;
  let certFile: string;
  let keyFile: string;
  beforeEach(() => {
    tmp = makeTempDir('earmark-tls-key-');
    store = openSqliteServiceStore(join(tmp.dir, 'service.db'));
    [certFile, keyFile] = [join(tmp.dir, 'cert.pem'), join(tmp.dir, 'key.pem')];
    execFileSync(
      'openssl',
      [
        ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1'],
        ...['-keyout', keyFile, '-out', certFile, '-subj', '/CN=127.0.0.1'],
      ],
      { stdio: 'ignore' },
    );
  });
  afterEach(async () => {
    await store.close();
    tmp.remove();
  });

  const read = () =>
    readOperations(operationsValues({ 'tls-cert': certFile, 'tls-key': keyFile }), {
      store,
      dataDir: tmp.dir,
      env: {},
    });

  it('is read when only its owner may read it', async () => {
    chmodSync(keyFile, 0o600);
    const ops = await read();
    expect(String(ops.service.tls?.key)).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });

  it('is refused when others may read it, naming the file and the fix', async () => {
    chmodSync(keyFile, 0o644);
    await expect(read()).rejects.toThrow(KeyFileError);
    await expect(read()).rejects.toThrow(
      `The TLS private key file ${keyFile} is open to users other than its owner (mode 644); ` +
        'make it readable by the service account only (chmod 600).',
    );
  });
});
