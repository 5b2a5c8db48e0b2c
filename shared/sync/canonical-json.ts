/** `JSON.stringify` as it behaves: undefined (and symbols, functions) give undefined. */
const stringify: (value: unknown) => string | undefined = JSON.stringify;

/**
 * One byte-exact text for a JSON value: object keys sorted, no whitespace, `undefined` members
 * left out. The service compares an op's payload with the one it stored under the same op id
 * through this form, so key order or spacing never turns a retry into a conflict.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new Error('canonicalJson: numbers must be finite.');
    }
    return stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) {
    return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}
