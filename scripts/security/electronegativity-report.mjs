// The report the offline hook writes for one Electronegativity run (its findings and the files it
// could not parse), read into checked values. Kept apart from the gate so the reading can be read
// (and changed) on its own.

/** The gate cannot run or cannot trust what it read: exit 2, not a finding. */
export class GateError extends Error {}

const isText = (v) => typeof v === 'string';

function finding(f, i) {
  const ok =
    f &&
    isText(f.id) &&
    /^[A-Z0-9_]+$/i.test(f.id) &&
    isText(f.severity) &&
    isText(f.confidence) &&
    isText(f.file) &&
    isText(f.location) &&
    /^\d+:\d+$/.test(f.location) &&
    isText(f.sample) &&
    isText(f.description);
  if (!ok) {
    throw new GateError(`Malformed finding ${i} in the tool's report: ${JSON.stringify(f)}`);
  }
  const { id, severity, confidence, file, location, sample, description } = f;
  return { id, severity, confidence, file, location, sample, description };
}

function parseError(e, i) {
  if (!e || !isText(e.file) || !isText(e.message) || typeof e.tolerable !== 'boolean') {
    throw new GateError(`Malformed parse error ${i} in the tool's report: ${JSON.stringify(e)}`);
  }
  return { file: e.file, message: e.message, tolerable: e.tolerable };
}

/** The findings and parse errors of one run; a report not in the expected form stops the gate. */
export function readReport(text) {
  let report;
  try {
    report = JSON.parse(text);
  } catch (error) {
    throw new GateError(`The tool's report is not JSON: ${error.message}`);
  }
  if (!report || !Array.isArray(report.findings) || !Array.isArray(report.errors)) {
    throw new GateError("The tool's report has no findings or errors list.");
  }
  return { findings: report.findings.map(finding), errors: report.errors.map(parseError) };
}
