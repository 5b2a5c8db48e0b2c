// Preloaded with `node --import` in front of the electronegativity CLI by electronegativity.mjs.
//
// 1. Offline: the tool fetches translations and Electron's release feed over HTTPS on every run.
//    Build and CI machines have no internet, and a gate must not depend on a remote file, so its
//    HTTP client answers "offline" at once instead of waiting for a timeout.
// 2. Honest about what it could not read: with `-o` the CLI drops its list of files it failed to
//    parse, and it writes the CSV header and rows with two concurrent writes (the header's
//    truncating write can land after the rows, so a CSV may lose or cut rows). The runner's own
//    result (its findings and parse errors) goes to $EARMARK_ENG_REPORT, written once and
//    synchronously, and the gate reads that instead of the CSV.
import { writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const toolDir = dirname(require.resolve('@doyensec/electronegativity/package.json'));
const cliFile = join(toolDir, 'dist', 'index.js');

const offline = () => Promise.reject(new Error('electronegativity runs offline here'));
offline.head = offline;
offline.get = offline;

function reportingRunner(runner) {
  return async function run(options, forCli) {
    const result = await runner(options, forCli);
    const file = process.env.EARMARK_ENG_REPORT;
    if (file && result) {
      const errors = result.errors.map((e) => ({ file: e.file, message: e.message, tolerable: e.tolerable }));
      const findings = result.issues.map((i) => ({
        id: i.id,
        severity: i.severity?.name,
        confidence: i.confidence?.name,
        file: i.file,
        location: `${i.location?.line}:${i.location?.column}`,
        sample: i.sample ?? '',
        description: i.description ?? '',
      }));
      writeFileSync(file, JSON.stringify({ findings, errors }));
    }
    return result;
  };
}

// The tool is CommonJS: its `require` calls go through Module._load.
const load = Module._load;
Module._load = function loadForElectronegativity(request, parent, isMain) {
  const fromTool = typeof parent?.filename === 'string' && parent.filename.startsWith(toolDir);
  if (fromTool && request === 'got') {
    return offline;
  }
  const loaded = load.call(this, request, parent, isMain);
  if (fromTool && parent.filename === cliFile && request === './runner.js') {
    return reportingRunner(loaded);
  }
  return loaded;
};
