#!/usr/bin/env node
// Security gate: runs Electronegativity over the sources and the built bundle, reads its findings
// (the tool exits 0 whatever it finds) and fails on any HIGH or MEDIUM finding that the
// reviewed allowlist does not justify.
//
//   node scripts/security/electronegativity.mjs                  sources (main, preload, renderer, shared) and out/
//   node scripts/security/electronegativity.mjs --input DIR ...  only DIR(s), as one scan
//   --allowlist FILE   defaults to security/electronegativity-allowlist.json
//
// Exit 0: nothing blocking. 1: a blocking finding or a file the tool could not parse. 2: the
// gate itself could not run (tool failure, unreadable report, bad allowlist, missing build).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { GateError, readReport } from './electronegativity-report.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const cli = join(dirname(require.resolve('@doyensec/electronegativity/package.json')), 'dist', 'index.js');
const offlineHook = pathToFileURL(join(root, 'scripts', 'security', 'electronegativity-offline.mjs')).href;

const BLOCKING = new Set(['HIGH', 'MEDIUM']);
/** Checks not run, each with the reason the gate prints. */
const NOT_RUN = {
  AvailableSecurityFixesGlobalCheck: "needs Electron's online release feed; build machines have no internet",
};
/** Scans an allowlist entry may name; `--input` scans are "custom" and match only entries naming it. */
const SCAN_NAMES = ['sources', 'bundle', 'custom'];

const out = (line = '') => process.stdout.write(`${line}\n`);

function parseArgs(argv) {
  const o = { allowlist: join(root, 'security', 'electronegativity-allowlist.json'), inputs: [] };
  for (let i = 0; i < argv.length; i += 1) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if ((flag === '--allowlist' || flag === '--input') && value) {
      if (flag === '--allowlist') {
        o.allowlist = resolve(value);
      } else {
        o.inputs.push(resolve(value));
      }
      i += 1;
    } else {
      throw new GateError(
        `Unknown or incomplete argument "${flag}". Usage: electronegativity.mjs [--allowlist FILE] [--input DIR ...]`,
      );
    }
  }
  return o;
}

/** Each scan copies its folders side by side under one root, so global checks see the whole app. */
function scans(inputs) {
  if (inputs.length > 0) {
    return [{ name: 'custom', dirs: inputs.map((d) => ({ from: d, as: basename(d) })) }];
  }
  const here = (d) => ({ from: join(root, d), as: d });
  if (!existsSync(join(root, 'out', 'main'))) {
    throw new GateError(
      'No built bundle in out/: run `npm run build` first (the bundle is scanned as well as the sources).',
    );
  }
  return [
    { name: 'sources', dirs: ['main', 'preload', 'renderer', 'shared'].map(here) },
    { name: 'bundle', dirs: [here('out')] },
  ];
}

function electronVersion() {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const range = pkg.devDependencies?.electron ?? pkg.dependencies?.electron;
  return typeof range === 'string' ? range.replace(/^[^\d]*/, '') : undefined;
}

function loadAllowlist(file) {
  let doc;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new GateError(`Cannot read the allowlist ${file}: ${error.message}`);
  }
  const entries = Array.isArray(doc?.entries) ? doc.entries : null;
  if (!entries) {
    throw new GateError(`The allowlist ${file} has no "entries" array.`);
  }
  entries.forEach((e, i) => {
    for (const field of ['check', 'file', 'reason', 'reviewedBy', 'reviewedOn']) {
      if (typeof e[field] !== 'string' || e[field].trim() === '') {
        throw new GateError(`Allowlist entry ${i} (${e.check ?? '?'}) needs a non-empty "${field}".`);
      }
    }
    if (!Array.isArray(e.scan) || e.scan.length === 0 || !e.scan.every((n) => SCAN_NAMES.includes(n))) {
      throw new GateError(
        `Allowlist entry ${i} (${e.check}) needs "scan": a list drawn from ${SCAN_NAMES.join(', ')}.`,
      );
    }
    if (e.reason.trim().split(/\s+/).length < 8) {
      throw new GateError(
        `Allowlist entry ${i} (${e.check}): the reason must be a justification sentence, not a label.`,
      );
    }
    if (!/^\d{4}-\d{2}-\d{2}$/.test(e.reviewedOn)) {
      throw new GateError(`Allowlist entry ${i} (${e.check}): reviewedOn must be a YYYY-MM-DD date.`);
    }
  });
  return entries;
}

/**
 * Runs the tool over one scan's folders. `-o` makes the CLI hand its result back to the offline
 * hook, which writes the findings to the report file; the CSV the tool itself writes is not read.
 */
function scan(s, work) {
  const scanRoot = join(work, s.name);
  for (const d of s.dirs) {
    if (!existsSync(d.from)) {
      throw new GateError(`Nothing to scan at ${d.from}.`);
    }
    cpSync(d.from, join(scanRoot, d.as), { recursive: true });
  }
  const report = join(work, `${s.name}.json`);
  const version = electronVersion();
  const args = [
    '--import',
    offlineHook,
    cli,
    '-i',
    scanRoot,
    '-o',
    join(work, `${s.name}.csv`),
    '-r',
    '-v',
    'false',
    '-x',
    Object.keys(NOT_RUN).join(','),
  ];
  const r = spawnSync(process.execPath, [...args, ...(version ? ['-e', version] : [])], {
    encoding: 'utf8',
    timeout: 180_000,
    env: { ...process.env, EARMARK_ENG_REPORT: report },
  });
  if (r.status !== 0 || !existsSync(report)) {
    throw new GateError(`electronegativity failed (exit ${r.status ?? r.signal}):\n${r.stdout}${r.stderr}`);
  }
  const { findings, errors } = readReport(readFileSync(report, 'utf8'));
  const unparsed = errors
    .filter((e) => !e.tolerable)
    .map((e) => ({ file: relative(scanRoot, e.file), message: e.message }));
  return { findings: findings.map((f) => ({ ...f, scan: s.name })), unparsed };
}

const matches = (e, f) =>
  e.check === f.id && e.file === f.file && e.scan.includes(f.scan) && (!e.sample || f.sample.includes(e.sample));

function table(rows) {
  const head = ['scan', 'severity', 'confidence', 'check', 'where', 'verdict'];
  const cells = rows.map((f) => [f.scan, f.severity, f.confidence, f.id, `${f.file}:${f.location}`, f.verdict]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c) =>
    c
      .map((v, i) => v.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  out(line(head));
  out(widths.map((w) => '-'.repeat(w)).join('  '));
  cells.forEach((c) => out(line(c)));
}

function main() {
  const options = parseArgs(process.argv.slice(2));
  const allowlist = loadAllowlist(options.allowlist);
  const work = mkdtempSync(join(tmpdir(), 'earmark-eng-'));
  try {
    const planned = scans(options.inputs);
    const results = planned.map((s) => scan(s, work));
    const findings = results.flatMap((r) => r.findings);
    const unparsed = results.flatMap((r) => r.unparsed);
    const used = new Set();
    for (const f of findings) {
      const entry = allowlist.find((e) => matches(e, f));
      if (entry) {
        used.add(entry);
      }
      f.verdict = !BLOCKING.has(f.severity) ? 'info' : entry ? `allowlisted ${entry.reviewedOn}` : 'BLOCKING';
    }
    out(`electronegativity: ${findings.length} finding(s) over ${results.length} scan(s)`);
    if (findings.length > 0) {
      table(findings);
    }
    for (const [check, why] of Object.entries(NOT_RUN)) {
      out(`not run: ${check}: ${why}`);
    }
    const ran = planned.map((s) => s.name);
    allowlist
      .filter((e) => !used.has(e) && e.scan.some((n) => ran.includes(n)))
      .forEach((e) =>
        out(`warning: allowlist entry ${e.check} ${e.file} matched nothing; remove it if the finding is gone`),
      );
    unparsed.forEach((u) => out(`UNSCANNED: ${u.file}: ${u.message}`));
    const blocking = findings.filter((f) => f.verdict === 'BLOCKING');
    blocking.forEach((f) => out(`BLOCKING ${f.severity} ${f.id} in ${f.file}:${f.location}: ${f.description}`));
    const failed = blocking.length > 0 || unparsed.length > 0;
    out(
      failed
        ? `electronegativity gate: FAILED (${blocking.length} blocking, ${unparsed.length} unscanned)`
        : 'electronegativity gate: passed',
    );
    return failed ? 1 : 0;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

try {
  process.exitCode = main();
} catch (error) {
  process.stderr.write(`electronegativity gate: ${error instanceof GateError ? error.message : error.stack}\n`);
  process.exitCode = 2;
}
