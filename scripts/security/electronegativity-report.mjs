// The CSV report Electronegativity writes, read into findings. Kept apart from the gate so the
// parsing can be read (and changed) on its own.

/** The gate cannot run or cannot trust what it read: exit 2, not a finding. */
export class GateError extends Error {}

const CSV_HEADER = 'issue, severity, confidence, filename, location, sample, description, url';

/** RFC 4180 records, as the tool writes them: fields quoted with doubled quotes (newlines allowed), or bare. */
function csvRecords(text) {
  const records = [];
  let record = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') {
        i += 1;
      }
      records.push([...record, field]);
      record = [];
      field = '';
    } else {
      field += c;
    }
  }
  if (quoted) {
    throw new GateError('The CSV ends inside a quoted field.');
  }
  if (field !== '' || record.length > 0) {
    records.push([...record, field]);
  }
  return records.filter((r) => r.length > 1 || r[0] !== '');
}

/** The findings in the tool's CSV report; a report not in the expected form stops the gate. */
export function parseCsv(text) {
  const [header, ...rows] = csvRecords(text);
  if (header?.map((h) => h.trim()).join(', ') !== CSV_HEADER) {
    throw new GateError(`Unexpected CSV header: ${JSON.stringify(header ?? [])}`);
  }
  return rows.map((f) => {
    if (f.length !== 8 || !/^[A-Z0-9_]+$/.test(f[0]) || !/^\d+:\d+$/.test(f[4])) {
      throw new GateError(`Malformed CSV row: ${JSON.stringify(f)}`);
    }
    const [id, severity, confidence, file, location, sample, description] = f;
    return { id, severity, confidence, file, location, sample, description };
  });
}
