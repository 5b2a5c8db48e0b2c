// Types for electronegativity-report.mjs, so tests can import the reader.
export class GateError extends Error {}

export interface Finding {
  id: string;
  severity: string;
  confidence: string;
  file: string;
  location: string;
  sample: string;
  description: string;
}

export interface ParseError {
  file: string;
  message: string;
  tolerable: boolean;
}

export function readReport(text: string): { findings: Finding[]; errors: ParseError[] };
