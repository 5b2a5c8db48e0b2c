import { lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deviceKeyFromPem } from '../../core/crypto/device-key';
import { readPackage } from '../../core/package/package-reader';
import { runBatchCli } from '../../tools/batch';
import { downgradeToVersion1, rewriteHeader } from '../support/packages';
import { runCli, type CliRun } from '../support/run-cli';
import { makeTempDir } from '../support/temp-dir';

const DEMO = resolve(__dirname, '../../resources/demo');

const run = (...argv: string[]): CliRun => runCli(runBatchCli, argv);

describe('batch CLI', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let keys: string;
  let pkg: string;

  beforeEach(() => {
    tmp = makeTempDir('earmark-cli-');
    keys = join(tmp.dir, 'keys');
    pkg = join(tmp.dir, 'demo.earmark');
  });
  afterEach(() => tmp.remove());

  const packDemo = (...extra: string[]): CliRun =>
    run(
      'pack',
      '--audio',
      join(DEMO, 'clips'),
      '--clips',
      join(DEMO, 'clips.tsv'),
      '--device-key',
      join(keys, 'device.pub'),
      '--out',
      pkg,
      ...extra,
    );

  it('keygen refuses a folder where a link to nothing takes a key file’s name, and leaves it alone', () => {
    mkdirSync(keys, { recursive: true });
    // A link to nothing takes the name as a file would: refused before anything is made.
    symlinkSync(join(tmp.dir, 'nowhere'), join(keys, 'device.pub'));
    const keygen = run('keygen', '--out', keys);
    expect(keygen.code).toBe(2);
    expect(keygen.err).toContain(`${keys} already holds a device key; refusing to overwrite it.`);
    expect(readdirSync(keys)).toEqual(['device.pub']);
    expect(lstatSync(join(keys, 'device.pub')).isSymbolicLink()).toBe(true);
  });

  it('makes a key pair, packs real recordings, inspects and verifies the package', () => {
    const keygen = run('keygen', '--out', keys);
    expect(keygen.code).toBe(0);
    expect(keygen.out).toMatch(/key id [0-9a-f]{16}/);
    expect(statSync(join(keys, 'device.key')).mode & 0o077).toBe(0);

    const pack = packDemo('--batch-id', 'b-AAAAAAAAAC11TEST');
    expect(pack.code).toBe(0);
    expect(pack.out).toContain('packed batch b-AAAAAAAAAC11TEST: 15 clips (1 withdrawn, no audio packed)');
    expect(pack.out).toContain('ignoring column(s) reference_text, source');

    const inspect = run('inspect', pkg);
    expect(inspect.code).toBe(0);
    expect(inspect.out).toContain('batch:      b-AAAAAAAAAC11TEST');
    expect(inspect.out).toContain('clips:      15 (14 with audio, 1 without)');
    expect(inspect.out).toContain(
      'checked:    not authenticated here; verify checks the header tag with the device key',
    );

    const verify = run('verify', pkg, '--device-key', join(keys, 'device.key'));
    expect(verify.out).toContain(
      'ok: batch b-AAAAAAAAAC11TEST: 14 clips would import, 0 quarantined, 1 refused (consent withdrawn).',
    );
    expect(verify.code).toBe(0);

    // The withdrawn clip travels as its id and consent mark alone: no ASR text, no details.
    const device = deviceKeyFromPem(readFileSync(join(keys, 'device.key'), 'utf8'));
    const withdrawn: unknown[] = [];
    readPackage(
      pkg,
      { device, now: Date.now() },
      {
        onClip: (o) => (o.kind === 'withdrawn' ? withdrawn.push(o.details) : undefined),
      },
    ).batchKey.fill(0);
    expect(withdrawn).toEqual([{ id: 'c-W3DCMQFV1GF0A7GA', consent: 'withdrawn' }]);
  });

  it('shows nothing said in the recordings to inspect, and nothing is readable in the package', () => {
    run('keygen', '--out', keys);
    packDemo();
    const tsv = readFileSync(join(DEMO, 'clips.tsv'), 'utf8').split('\n').slice(1).filter(Boolean);
    const hypotheses = tsv.map((l) => l.split('\t')[2] ?? '').filter((h) => h.split(' ').length >= 4);
    const inspect = run('inspect', pkg).out;
    const bytes = readFileSync(pkg).toString('latin1');
    for (const h of hypotheses) {
      expect(inspect).not.toContain(h);
      expect(bytes).not.toContain(h);
    }
    expect(bytes).not.toContain('OggS');
  });

  it('exits non-zero and names the clip when a clip would be quarantined', () => {
    run('keygen', '--out', keys);
    packDemo();
    const data = readFileSync(pkg);
    data[data.length - 10] = (data[data.length - 10] ?? 0) ^ 0x01;
    writeFileSync(pkg, data);
    const verify = run('verify', pkg, '--device-key', join(keys, 'device.key'));
    expect(verify.code).toBe(1);
    expect(verify.out).toMatch(/quarantine: clip c-[0-9A-HJKMNP-TV-Z]{16}: The clip audio failed authentication/);
    expect(verify.out).toContain('1 quarantined');
  });

  it('shows an altered expiry to inspect as written, and verify refuses the package', () => {
    run('keygen', '--out', keys);
    packDemo();
    rewriteHeader(pkg, (h) => ({ ...h, expiresAt: '2099-01-01T00:00:00.000Z' }));
    expect(run('inspect', pkg).out).toContain('expires:    2099-01-01T00:00:00.000Z');
    const verify = run('verify', pkg, '--device-key', join(keys, 'device.key'));
    expect(verify.code).toBe(1);
    expect(verify.out).toBe(
      'refused: The package header was altered after packing: it does not match its header tag.\n',
    );
  });

  it('refuses a package of format version 1 in inspect and verify, asking for it to be packed again', () => {
    run('keygen', '--out', keys);
    packDemo();
    downgradeToVersion1(pkg);
    for (const r of [run('inspect', pkg), run('verify', pkg, '--device-key', join(keys, 'device.key'))]) {
      expect(r.code).toBe(1);
      expect(r.out).toMatch(
        /^refused: This package is in batch format version 1, .*Pack the batch again with this version \("npm run batch -- pack"\)/,
      );
    }
  });

  it('refuses a package for another workstation with one line per problem', () => {
    run('keygen', '--out', keys);
    packDemo();
    const other = join(tmp.dir, 'other');
    run('keygen', '--out', other);
    const verify = run('verify', pkg, '--device-key', join(other, 'device.key'));
    expect(verify.code).toBe(1);
    expect(verify.out).toMatch(
      /^refused: The package was made for workstation key [0-9a-f]{16}; this workstation's key is [0-9a-f]{16}\.$/m,
    );
  });

  it.each([
    [['frobnicate'], /Unknown command "frobnicate"/],
    [['keygen'], /keygen needs --out DIR/],
    [['pack', '--audio', '/nope'], /pack needs --clips, --device-key, --out/],
    [['inspect'], /inspect takes one package file/],
    [['verify', 'x.earmark'], /verify takes one package file and --device-key/],
    [['inspect', '--bogus'], /Unknown option '--bogus'/],
  ])('explains a usage error without a stack trace: %j', (argv, message) => {
    const r = run(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err).toContain('Usage:');
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('reports every bad row of a clip list with its line number', () => {
    run('keygen', '--out', keys);
    const tsv = join(tmp.dir, 'clips.tsv');
    const first = readdirSync(join(DEMO, 'clips'))[0] ?? '';
    writeFileSync(
      tsv,
      [
        'clip_id\tfile\tasr_text\tconsent\tlocale',
        `c-AAAAAAAAAAAAA0K1\t${first}\thello\tgranted\ten-US`,
        'bad id!\t../etc/passwd\thello\tmaybe\tenglish',
        'c-AAAAAAAAAAAAAN11\tCON.opus\thi\tgranted\ten-US',
      ].join('\n'),
    );
    const r = run(
      'pack',
      '--audio',
      join(DEMO, 'clips'),
      '--clips',
      tsv,
      '--device-key',
      join(keys, 'device.pub'),
      '--out',
      pkg,
    );
    expect(r.code).toBe(1);
    expect(r.out).toContain('error: line 3: clip_id "bad id!" is refused: a clip id is "c-" and 16 characters');
    expect(r.out).toContain('error: line 3: file "../etc/passwd" contains a path separator');
    expect(r.out).toContain('error: line 3: consent must be granted or withdrawn');
    expect(r.out).toContain('error: line 3: locale "english" is not a language tag');
    expect(r.out).toContain('error: line 4: file "CON.opus" is a reserved Windows device name');
  });

  it('refuses audio that is not audio, naming the file', () => {
    run('keygen', '--out', keys);
    const audio = join(tmp.dir, 'audio');
    mkdirSync(audio);
    writeFileSync(join(audio, 'page.opus'), '<!doctype html><script>alert(1)</script>');
    const tsv = join(tmp.dir, 'clips.tsv');
    writeFileSync(tsv, 'clip_id\tfile\tasr_text\tconsent\tlocale\nc-AAAAAAAAAAAAAAA1\tpage.opus\thi\tgranted\ten-US\n');
    const r = run('pack', '--audio', audio, '--clips', tsv, '--device-key', join(keys, 'device.pub'), '--out', pkg);
    expect(r.code).toBe(1);
    expect(r.out).toContain('error: line 2: file "page.opus": This is HTML or XML, not audio.');
  });

  it('will not overwrite an existing device key', () => {
    run('keygen', '--out', keys);
    const before = readFileSync(join(keys, 'device.key'), 'utf8');
    const again = run('keygen', '--out', keys);
    expect(again.code).toBe(2);
    expect(again.err).toContain('refusing to overwrite');
    expect(readFileSync(join(keys, 'device.key'), 'utf8')).toBe(before);
  });
});
