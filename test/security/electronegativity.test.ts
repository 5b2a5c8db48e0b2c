import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as fake from '../fakes/electron';
import { createMainWindow } from '../../main/app/window';
import { SECURITY_HEADERS } from '../../main/app/security-headers';
import { makeTempDir } from '../support/temp-dir';
import { readReport } from '../../scripts/security/electronegativity-report.mjs';

vi.mock('electron', () => import('../fakes/electron'));

const gate = resolve(__dirname, '../../scripts/security/electronegativity.mjs');

function runGate(...args: string[]): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, [gate, ...args], { encoding: 'utf8', timeout: 240_000 });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

/** The classic misconfiguration: a window whose page gets Node and shares the preload's world. */
const UNSAFE_WINDOW = `const { app, BrowserWindow } = require('electron');

app.whenReady().then(() => {
  const win = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false } });
  win.loadURL('https://example.com/');
});
`;

describe('electronegativity gate', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    tmp = makeTempDir('earmark-eng-test-');
  });
  afterEach(() => {
    tmp.remove();
  });

  const fixture = (files: Record<string, string>): string => {
    const dir = join(tmp.dir, 'fixture');
    mkdirSync(dir, { recursive: true });
    for (const [name, text] of Object.entries(files)) {
      writeFileSync(join(dir, name), text);
    }
    return dir;
  };

  it('passes the sources and the built bundle: every HIGH or MEDIUM finding is justified in the allowlist', () => {
    const r = runGate();
    expect(r.output).toContain('electronegativity gate: passed');
    expect(r.output).not.toMatch(/BLOCKING|UNSCANNED/);
    expect(r.status).toBe(0);
  }, 240_000);

  it('fails on a window with nodeIntegration on and contextIsolation off, naming the check', () => {
    const r = runGate('--input', fixture({ 'main.js': UNSAFE_WINDOW }));
    expect(r.output).toMatch(/BLOCKING HIGH CONTEXT_ISOLATION_JS_CHECK in fixture\/main\.js:4:/);
    expect(r.output).toContain('electronegativity gate: FAILED');
    expect(r.status).toBe(1);
  }, 60_000);

  it('fails when the tool cannot parse a file, rather than passing it unchecked', () => {
    const r = runGate(
      '--input',
      fixture({ 'broken.ts': 'const win = new BrowserWindow({ webPreferences: { sandbox: false } ;\n' }),
    );
    expect(r.output).toMatch(/UNSCANNED: fixture\/broken\.ts/);
    expect(r.status).toBe(1);
  }, 60_000);

  it('refuses an allowlist entry that gives no reason', () => {
    const allowlist = join(tmp.dir, 'allowlist.json');
    const entry = {
      check: 'CONTEXT_ISOLATION_JS_CHECK',
      scan: ['custom'],
      file: 'fixture/main.js',
      reviewedBy: 'someone',
      reviewedOn: '2026-01-01',
    };
    writeFileSync(allowlist, JSON.stringify({ entries: [entry] }));
    const r = runGate('--allowlist', allowlist, '--input', fixture({ 'main.js': UNSAFE_WINDOW }));
    expect(r.output).toMatch(/needs a non-empty "reason"/);
    expect(r.status).toBe(2);
  }, 60_000);
});

describe("reading the tool's report", () => {
  const good = {
    id: 'SANDBOX_JS_CHECK',
    severity: 'MEDIUM',
    confidence: 'FIRM',
    file: 'main/app/window.ts',
    location: '39:14',
    sample: 'new BrowserWindow',
    description: 'Review the use of the sandbox option',
  };

  it('reads findings and parse errors as the hook writes them', () => {
    const text = JSON.stringify({
      findings: [good],
      errors: [{ file: '/x/broken.ts', message: 'Unexpected token', tolerable: false }],
    });
    expect(readReport(text)).toEqual({
      findings: [good],
      errors: [{ file: '/x/broken.ts', message: 'Unexpected token', tolerable: false }],
    });
  });

  it('stops the gate on a report it cannot trust, rather than reading it as no findings', () => {
    expect(() => readReport('{"findings": [')).toThrow(/not JSON/);
    expect(() => readReport('{"errors": []}')).toThrow(/no findings or errors list/);
    expect(() => readReport(JSON.stringify({ findings: [{ ...good, location: '39' }], errors: [] }))).toThrow(
      /Malformed finding 0/,
    );
    expect(() => readReport(JSON.stringify({ findings: [], errors: [{ file: 'a.ts' }] }))).toThrow(
      /Malformed parse error 0/,
    );
  });
});

describe('window options the tool cannot see (the evidence behind the allowlist)', () => {
  beforeEach(() => {
    fake.resetFake();
  });

  it('creates the window sandboxed, context-isolated and without middle-click navigation', () => {
    createMainWindow({ preloadPath: '/out/preload/index.js', isPackaged: true, platform: 'linux' });
    const [win] = fake.BrowserWindow.getAllWindows();
    expect(win?.options.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
    });
    expect(win?.options.webPreferences?.disableBlinkFeatures?.split(',')).toContain('Auxclick');
  });

  it('sends a content security policy header that allows no inline script and nothing remote', () => {
    const csp = SECURITY_HEADERS['Content-Security-Policy'];
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
  });
});
