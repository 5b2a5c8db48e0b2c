import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger, silentLogger } from '../../../main/log/logger';
import {
  loadPolicy,
  machinePolicyPath,
  MAX_POLICY_BYTES,
  PolicyError,
  resolvePolicyFile,
  type PolicyLoadResult,
} from '../../../main/policy/policy-loader';

let tmp: string;
let file: string;

beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'earmark-policy-'));
  file = join(tmp, 'policy.json');
});

afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const load = (): PolicyLoadResult => loadPolicy({ file, logger: silentLogger, platform: 'linux' });

/** Loads `file` and returns the PolicyError it must throw. */
function refusal(): PolicyError {
  try {
    load();
  } catch (error) {
    if (error instanceof PolicyError) {
      return error;
    }
    throw error;
  }
  throw new Error('the policy was accepted');
}

const writePolicy = (value: unknown): Promise<void> => writeFile(file, JSON.stringify(value));

describe('policy file location', () => {
  it.each([
    ['win32', 'C:\\ProgramData', 'C:\\ProgramData\\Earmark\\policy.json'],
    ['win32', 'D:\\ProgramData', 'D:\\ProgramData\\Earmark\\policy.json'],
    ['darwin', 'unused', '/Library/Application Support/Earmark/policy.json'],
    ['linux', 'unused', '/etc/earmark/policy.json'],
    ['freebsd', 'unused', '/etc/earmark/policy.json'],
  ] as const)('is documented per OS: %s, ProgramData %s → %s', (platform, programData, expected) => {
    expect(machinePolicyPath(platform, () => programData)).toBe(expected);
  });

  it('on Windows asks the OS for ProgramData and ignores the environment a user can set', () => {
    vi.stubEnv('ProgramData', 'C:\\Users\\me\\my-policy');
    try {
      const file = resolvePolicyFile({
        platform: 'win32',
        env: { ProgramData: 'C:\\Users\\me\\my-policy' },
        isPackaged: true,
        programData: () => 'C:\\ProgramData',
      });
      expect(file).toBe('C:\\ProgramData\\Earmark\\policy.json');
    } finally {
      vi.unstubAllEnvs();
    }
  });

  const noAnswer = (): string => {
    throw new Error('SHGetKnownFolderPath(FOLDERID_ProgramData) failed (HRESULT -2147024894).');
  };
  it.each<[string, () => string]>([
    ['a relative path', () => 'relative\\dir'],
    ['a network path', () => '\\\\fs01\\share'],
    ['no answer', noAnswer],
  ])('on Windows refuses %s from the OS rather than guess', (_what, read) => {
    expect(() => machinePolicyPath('win32', read)).toThrow();
  });

  it('honours EARMARK_POLICY_FILE in a development build', () => {
    const env = { EARMARK_POLICY_FILE: '/tmp/dev-policy.json' };
    expect(resolvePolicyFile({ platform: 'linux', env, isPackaged: false })).toBe('/tmp/dev-policy.json');
  });

  it('ignores EARMARK_POLICY_FILE in a packaged app, so a user cannot bring their own policy', () => {
    const env = { EARMARK_POLICY_FILE: '/home/me/lenient.json' };
    expect(resolvePolicyFile({ platform: 'linux', env, isPackaged: true })).toBe('/etc/earmark/policy.json');
    expect(resolvePolicyFile({ platform: 'darwin', env, isPackaged: true })).toBe(
      '/Library/Application Support/Earmark/policy.json',
    );
  });

  it('ignores an empty EARMARK_POLICY_FILE', () => {
    expect(resolvePolicyFile({ platform: 'linux', env: { EARMARK_POLICY_FILE: '' }, isPackaged: false })).toBe(
      '/etc/earmark/policy.json',
    );
  });
});

describe('loading the policy', () => {
  it('means no policy when there is no file', () => {
    expect(load()).toEqual({ file, found: false, policy: {}, unknownKeys: [], warnings: [] });
  });

  it('means no policy when a folder on the path is missing or is a file', async () => {
    await writeFile(join(tmp, 'earmark'), 'not a folder');
    file = join(tmp, 'earmark', 'policy.json');
    expect(load().found).toBe(false);
  });

  it('returns every pinned setting', async () => {
    const policy = {
      serviceUrl: 'https://annotate.example.com/api',
      idleLockMinutes: 5,
      prefill: 'blank',
      heardInFullGate: true,
      breaks: {
        microBreakEveryMinutes: 45,
        microBreakMinutes: 5,
        microBreakAfterEscalations: 1,
        breaksSkippable: false,
      },
      uiLanguages: ['es', 'en'],
      hotkeysCustomisable: false,
    };
    await writePolicy(policy);
    expect(load()).toEqual({ file, found: true, policy, unknownKeys: [], warnings: [] });
  });

  it('accepts a policy that pins only some settings', async () => {
    await writePolicy({ idleLockMinutes: 15, breaks: { breaksSkippable: false } });
    expect(load().policy).toEqual({ idleLockMinutes: 15, breaks: { breaksSkippable: false } });
  });

  it('reads UTF-8 with a byte-order mark (Notepad)', async () => {
    await writeFile(file, `\uFEFF${JSON.stringify({ prefill: 'blank' })}`, 'utf8');
    expect(load().policy).toEqual({ prefill: 'blank' });
  });

  it("reads UTF-16 LE with a byte-order mark (PowerShell 5's Out-File)", async () => {
    await writeFile(
      file,
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(JSON.stringify({ prefill: 'blank' }), 'utf16le')]),
    );
    expect(load().policy).toEqual({ prefill: 'blank' });
  });
});

describe('a malformed policy file', () => {
  it('is refused when it is not JSON, naming the file', async () => {
    await writeFile(file, '{ "idleLockMinutes": 5, }');
    const error = refusal();
    expect(error.file).toBe(file);
    expect(error.field).toBeNull();
    expect(error.message).toContain(file);
    expect(error.message).toMatch(/not valid JSON/);
    expect(error.message).toMatch(/will not start on default settings/);
  });

  it('is refused when it is empty', async () => {
    await writeFile(file, '');
    expect(refusal().message).toMatch(/not valid JSON/);
  });

  it.each([['[]'], ['null'], ['"idleLockMinutes"'], ['5']])(
    'is refused when it holds %s instead of an object',
    async (text) => {
      await writeFile(file, text);
      expect(refusal().message).toMatch(/must hold one JSON object/);
    },
  );

  it.each([
    [{ idleLockMinutes: '10' }, 'idleLockMinutes', /whole number from 1 to 240/],
    [{ idleLockMinutes: 0 }, 'idleLockMinutes', /whole number from 1 to 240/],
    [{ idleLockMinutes: 241 }, 'idleLockMinutes', /whole number from 1 to 240/],
    [{ idleLockMinutes: 2.5 }, 'idleLockMinutes', /whole number from 1 to 240/],
    [{ serviceUrl: 'http://annotate.example.com' }, 'serviceUrl', /https:\/\//],
    [{ serviceUrl: 'https://user:secret@annotate.example.com' }, 'serviceUrl', /user name or password/],
    [{ serviceUrl: 42 }, 'serviceUrl', /URL string/],
    [{ prefill: 'auto' }, 'prefill', /"asr" or "blank"/],
    [{ heardInFullGate: 'yes' }, 'heardInFullGate', /true or false/],
    [{ hotkeysCustomisable: 1 }, 'hotkeysCustomisable', /true or false/],
    [{ uiLanguages: ['en', 'fr'] }, 'uiLanguages[1]', /"en", "es", "ro"/],
    [{ uiLanguages: [] }, 'uiLanguages', /at least one/],
    [{ uiLanguages: ['en', 'en'] }, 'uiLanguages', /twice/],
    [{ uiLanguages: 'en' }, 'uiLanguages', /list/],
    [{ breaks: { microBreakMinutes: 0 } }, 'breaks.microBreakMinutes', /whole number from 1 to 15/],
    [{ breaks: { microBreakEveryMinutes: 5 } }, 'breaks.microBreakEveryMinutes', /whole number from 15 to 240/],
    [{ breaks: { microBreakAfterEscalations: -1 } }, 'breaks.microBreakAfterEscalations', /whole number from 0 to 50/],
    [{ breaks: { breaksSkippable: 'no' } }, 'breaks.breaksSkippable', /true or false/],
    [{ breaks: true }, 'breaks', /object of break rules/],
  ])('is refused for %j, naming the field %s', async (policy, field, reason) => {
    await writePolicy(policy);
    const error = refusal();
    expect(error.field).toBe(field);
    expect(error.message).toContain(file);
    expect(error.message).toContain(`"${field}"`);
    expect(error.message).toMatch(reason);
  });

  it('lists every bad field, not only the first', async () => {
    await writePolicy({ idleLockMinutes: 0, prefill: 'auto' });
    const error = refusal();
    expect(error.field).toBe('idleLockMinutes');
    expect(error.message).toContain('"prefill"');
  });

  it('is refused when it is not a file', async () => {
    await mkdir(file);
    expect(refusal().message).toMatch(/not a regular file/);
  });

  it('is refused when it is too large to be a policy', async () => {
    await writeFile(file, `{"x":"${'a'.repeat(MAX_POLICY_BYTES)}"}`);
    expect(refusal().message).toMatch(/larger than 64 KiB/);
  });

  it('is refused when it is saved as UTF-16 big-endian', async () => {
    await writeFile(file, Buffer.from([0xfe, 0xff, 0x00, 0x7b, 0x00, 0x7d]));
    expect(refusal().message).toMatch(/UTF-16 big-endian/);
  });

  it('is refused when it is not UTF-8 text', async () => {
    await writeFile(file, Buffer.from([0x7b, 0xc3, 0x28, 0x7d]));
    expect(refusal().message).toMatch(/not valid UTF-8/);
  });
});

describe('unknown keys', () => {
  it('are reported and logged as a warning, not fatal, and not applied', async () => {
    const lines: string[] = [];
    await writePolicy({ idleLockMinute: 5, idleLockMinutes: 20, breaks: { lunch: 30, microBreakMinutes: 3 } });
    const result = loadPolicy({ file, logger: createLogger('info', (l) => lines.push(l)), platform: 'linux' });
    expect(result.unknownKeys).toEqual(['idleLockMinute', 'breaks.lunch']);
    expect(result.policy).toEqual({ idleLockMinutes: 20, breaks: { microBreakMinutes: 3 } });
    const warning = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l['level'] === 'warn');
    expect(warning).toMatchObject({
      message: 'policy: unknown keys ignored',
      keys: 'idleLockMinute, breaks.lunch',
      file,
    });
  });
});

describe('file permissions', () => {
  it('warns when users other than the owner may write the policy', async () => {
    await writePolicy({ idleLockMinutes: 5 });
    await chmod(file, 0o666);
    expect(load().warnings).toEqual(['the policy file is writable by users other than its owner']);
  });

  it('warns when others may replace it through its folder', async () => {
    await writePolicy({ idleLockMinutes: 5 });
    await chmod(file, 0o644);
    await chmod(tmp, 0o777);
    expect(load().warnings).toEqual(['the folder of the policy file is writable by users other than its owner']);
  });

  it('does not warn for a file only its owner may write', async () => {
    await writePolicy({ idleLockMinutes: 5 });
    await chmod(file, 0o644);
    await chmod(tmp, 0o755);
    expect(load().warnings).toEqual([]);
  });
});
