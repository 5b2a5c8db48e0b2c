/**
 * Hostile names and paths: traversal, absolute and UNC paths, NUL, Windows device names, bidi
 * overrides and over-long names, wherever a name can enter — the operator's clip list, a
 * package's ids, an IPC payload, and the path of the package itself.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runBatchCli } from '../../../tools/batch';
import { ClipListError, parseClipsTsv } from '../../../core/package/clips-tsv';
import { packFromFolder } from '../../../core/package/pack-from-folder';
import { runCli } from '../../support/run-cli';
import { rewriteHeader, sineWav, writeTestPackage } from '../../support/packages';
import { serviceError } from '../../support/services';
import { makeTempDir } from '../../support/temp-dir';
import { ID_FORMAT_TEXT } from '../../../shared/batch-package/pseudonymous-ids';
import { expectImportRefused, makeCanary, makeHostileEnv, SAVED_BATCH, type HostileEnv } from './hostile-env';

const SEPARATOR = 'contains a path separator; give a file name inside the audio folder';

/** [what it is, the name, what the operator is told about it]; labelled so test titles stay plain text. */
const hostileFileNames: readonly [string, string, string][] = [
  ['a relative traversal', '../secret.wav', SEPARATOR],
  ['the parent folder', '..', 'is not a file name'],
  ['an absolute POSIX path', '/etc/passwd', SEPARATOR],
  ['an absolute Windows path', 'C:\\Windows\\win.ini', SEPARATOR],
  ['a drive-relative path', 'C:secret.wav', 'is a drive path'],
  ['a UNC path', '\\\\server\\share\\clip.wav', SEPARATOR],
  ['a device-namespace path', '\\\\?\\C:\\clip.wav', SEPARATOR],
  ['a name with a NUL', 'clip\u0000.wav', 'contains a control character (NUL, tab, newline…)'],
  ['CON', 'CON', 'is a reserved Windows device name'],
  ['NUL with an extension', 'nul.wav', 'is a reserved Windows device name'],
  ['AUX with two extensions', 'aux.txt.wav', 'is a reserved Windows device name'],
  ['COM1', 'COM1.flac', 'is a reserved Windows device name'],
  ['LPT9', 'LPT9.opus', 'is a reserved Windows device name'],
  ['COM with a superscript digit', 'COM\u00b9.wav', 'is a reserved Windows device name'],
  [
    'a right-to-left override hiding .exe',
    'clip\u202evaw.exe',
    'contains a bidirectional-text control character that can disguise its extension',
  ],
  [
    'a bidi isolate',
    '\u2067clip.wav',
    'contains a bidirectional-text control character that can disguise its extension',
  ],
  ['a trailing dot', 'clip.wav.', 'ends with a dot or space'],
  ['256 ASCII bytes', `${'a'.repeat(252)}.wav`, 'is longer than 255 bytes'],
  ['256 bytes of accented letters', `${'é'.repeat(126)}.wav`, 'is longer than 255 bytes'],
];

/** Each kind of hostile name, as an id where ids are `c-`/`b-` and 16 Crockford base-32 characters. */
const hostileIds: readonly { label: string; id: string }[] = [
  { label: 'a traversal', id: '../etc' },
  { label: 'an absolute path', id: '/abs' },
  { label: 'a UNC path', id: '\\\\server\\share' },
  { label: 'a NUL', id: 'a\u0000b' },
  { label: 'a right-to-left override', id: 'clip\u202egpj' },
  { label: 'a drive path', id: 'C:x' },
  { label: '17 characters after the prefix', id: `c-${'X'.repeat(17)}` },
  { label: 'nothing', id: '' },
];

// eslint-disable-next-line no-control-regex -- control characters are exactly what must not be printed.
const UNSAFE_IN_MESSAGE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

const tsvWithFile = (file: string): string =>
  `clip_id\tfile\tasr_text\tconsent\tlocale\nc-AAAAAAAAAAAAAAA1\t${file}\thello\tgranted\ten-US\n`;

function clipListProblems(text: string): readonly string[] {
  try {
    parseClipsTsv(text);
  } catch (error) {
    if (error instanceof ClipListError) {
      return error.problems;
    }
    throw error;
  }
  throw new Error('The clip list was accepted.');
}

describe('hostile names and paths', () => {
  describe("in the operator's clip list", () => {
    it.each(hostileFileNames)('refuses %s as a file name', (_label, name, reason) => {
      const [problem, ...more] = clipListProblems(tsvWithFile(name));
      expect(more).toEqual([]);
      expect(problem).toMatch(new RegExp(`^line 2: file ".*" ${reason.replace(/[.()…]/g, '\\$&')}\\.$`));
      // The message quotes the name without letting it reorder the line or drive a terminal.
      expect(problem).not.toMatch(UNSAFE_IN_MESSAGE);
    });

    it('shows an override in a name as an escape, so the report reads as written', () => {
      expect(clipListProblems(tsvWithFile('clip\u202evaw.exe'))).toEqual([
        'line 2: file "clip\\u202evaw.exe" contains a bidirectional-text control character that can disguise its extension.',
      ]);
    });

    it('keeps terminal escapes and overrides in a clip list out of the CLI output', () => {
      const tmp = makeTempFolder();
      const audio = join(tmp, 'audio');
      mkdirSync(audio);
      writeFileSync(join(audio, 'clip.wav'), sineWav());
      expect(runCli(runBatchCli, ['keygen', '--out', join(tmp, 'keys')]).code).toBe(0);
      const pack = (list: string) => {
        writeFileSync(join(tmp, 'clips.tsv'), list);
        const args = [
          '--audio',
          audio,
          '--clips',
          join(tmp, 'clips.tsv'),
          '--device-key',
          join(tmp, 'keys', 'device.pub'),
        ];
        return runCli(runBatchCli, ['pack', ...args, '--out', join(tmp, 'out.earmark')]);
      };
      const badId = pack(
        'clip_id\tfile\tasr_text\tconsent\tlocale\nc\u001b]0;owned\u0007\u202e\tclip.wav\thi\tgranted\ten-US\n',
      );
      expect(badId.code).toBe(1);
      expect(badId.out).toContain(
        'error: line 2: clip_id "c\\u001b]0;owned\\u0007\\u202e" is refused: a clip id is "c-" and 16 characters',
      );
      expect(existsSync(join(tmp, 'out.earmark'))).toBe(false);
      const badColumn = pack(
        'clip_id\tfile\tasr_text\tconsent\tlocale\tnote\u001b[2J\nc-AAAAAAAAAAAAAAA1\tclip.wav\thi\tgranted\ten-US\tx\n',
      );
      expect(badColumn.code).toBe(0);
      expect(badColumn.out).toContain('note: ignoring column(s) note\\u001b[2j; they are not packed.');
      const printed = [badId.out, badId.err, badColumn.out, badColumn.err].join('').split('\n');
      expect(printed.filter((line) => UNSAFE_IN_MESSAGE.test(line))).toEqual([]);
    });

    it('refuses a listed file that is a link leading out of the audio folder, and packs nothing', () => {
      const tmp = makeTempFolder();
      const audio = join(tmp, 'audio');
      mkdirSync(audio);
      writeFileSync(join(tmp, 'outside.wav'), sineWav());
      symlinkSync(join(tmp, 'outside.wav'), join(audio, 'link.wav'));
      const out = join(tmp, 'out.earmark');
      const env = makeHostileEnv();
      try {
        expect(() =>
          packFromFolder({
            audioDir: audio,
            list: parseClipsTsv(tsvWithFile('link.wav')),
            recipient: env.recipient(),
            out,
            now: new Date(),
            expiresInDays: 1,
          }),
        ).toThrow(new ClipListError(['line 2: file "link.wav" resolves outside the audio folder.']));
        expect(existsSync(out)).toBe(false);
      } finally {
        env.dispose();
      }
    });
  });

  describe('as ids in a package or an IPC call', () => {
    let env: HostileEnv;
    beforeEach(() => {
      env = makeHostileEnv();
    });
    afterEach(() => env.dispose());

    it.each(hostileIds)('refuses $label as a clip id in a package header', async ({ id }) => {
      const canary = makeCanary('names');
      const file = env.input('ids.earmark');
      writeTestPackage(file, {
        recipient: env.recipient(),
        clips: [{ id: 'c-AAAAAAAAAAAAAAA1', audio: canary.audio, durationMs: canary.durationMs, asrText: canary.text }],
      });
      rewriteHeader(file, (h) => ({ ...h, clips: h.clips.map((c) => ({ ...c, id })) }));
      await expectImportRefused(
        env,
        file,
        /The header clips\.0\.id: a clip id is "c-" and 16 characters of 0-9 and A-Z without I, L, O or U/,
        canary.needles,
      );
    });

    it.each(hostileIds)('refuses $label as a batch id in a package header', async ({ id: batchId }) => {
      const canary = makeCanary('names');
      const file = env.input('ids.earmark');
      writeTestPackage(file, {
        recipient: env.recipient(),
        clips: [{ id: 'c-AAAAAAAAAAAAAAA1', audio: canary.audio, durationMs: canary.durationMs, asrText: canary.text }],
      });
      rewriteHeader(file, (h) => ({ ...h, batchId }));
      await expectImportRefused(
        env,
        file,
        /The header batchId: a batch id is "b-" and 16 characters of 0-9 and A-Z without I, L, O or U/,
        canary.needles,
      );
    });

    it.each(hostileIds)('refuses $label as an id in an IPC call with a validation error', async ({ id }) => {
      expect(await env.invoke('clips:open', { batchId: SAVED_BATCH, clipId: id })).toEqual({
        ok: false,
        error: {
          code: 'BAD_REQUEST',
          message: `Invalid request for "clips:open": clipId: ${ID_FORMAT_TEXT.clip}.`,
        },
      });
      expect(await env.invoke('annotations:history', { batchId: id, clipId: 'c-AAAAAAAAAAAAAAA1' })).toEqual({
        ok: false,
        error: {
          code: 'BAD_REQUEST',
          message: `Invalid request for "annotations:history": batchId: ${ID_FORMAT_TEXT.batch}.`,
        },
      });
      await env.expectSurvived();
    });

    it('refuses Windows device names as ids: no id could ever name a file', async () => {
      const canary = makeCanary('names');
      const file = env.input('devices.earmark');
      writeTestPackage(file, {
        recipient: env.recipient(),
        batchId: 'PRN',
        clips: [{ id: 'CON', audio: canary.audio, durationMs: canary.durationMs, asrText: canary.text }, { id: 'nul' }],
      });
      await expectImportRefused(env, file, /The header batchId: a batch id is "b-"/, canary.needles);
    });
  });

  describe('as the path of the package to import', () => {
    let env: HostileEnv;
    beforeEach(() => {
      env = makeHostileEnv();
    });
    afterEach(() => env.dispose());

    const refusedPath = async (path: string, message: RegExp) => {
      expect(serviceError('PACKAGE_REFUSED', () => env.services.vault.importPackage(path))).toMatch(message);
      await env.expectSurvived();
      env.expectNothingReadable();
    };

    it('refuses a path with a NUL in it', () =>
      refusedPath(env.input('batch\u0000.earmark'), /The package file cannot be opened \(ERR_INVALID_ARG_VALUE\)\./));
    it('refuses a UNC path that leads nowhere', () =>
      refusedPath('\\\\server\\share\\batch.earmark', /The package file cannot be opened \(ENOENT\)\./));
    it('refuses a traversal that leads nowhere', () =>
      refusedPath(
        join(env.input(''), '..', '..', 'no-such', 'batch.earmark'),
        /The package file cannot be opened \(ENOENT\)\./,
      ));
    it('refuses an over-long file name', () =>
      refusedPath(env.input(`${'b'.repeat(300)}.earmark`), /The package file cannot be opened \(ENAMETOOLONG\)\./));
    it('refuses a folder', () => refusedPath(env.input(''), /The package path does not name a regular file\./));
    it('refuses a device', () => refusedPath('/dev/zero', /The package path does not name a regular file\./));

    it('refuses a named pipe without waiting for a writer', async () => {
      const fifo = env.input('pipe.earmark');
      execFileSync('mkfifo', [fifo]);
      await refusedPath(fifo, /The package path does not name a regular file\./);
    });
  });
});

const folders: { remove(): void }[] = [];
afterEach(() => folders.splice(0).forEach((f) => f.remove()));

function makeTempFolder(): string {
  const t = makeTempDir('earmark-names-');
  folders.push(t);
  return t.dir;
}
