/**
 * The figures of one run's JSON (`bench/run.ts --json`): every top-level finite number. Older
 * trees write the same flat shape; `machine` and `date` are not figures.
 */
export function figuresOf(json: unknown): Record<string, number> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new Error('The bench JSON is not an object of figures.');
  }
  return Object.fromEntries(
    Object.entries(json).filter(
      (entry): entry is [string, number] => typeof entry[1] === 'number' && Number.isFinite(entry[1]),
    ),
  );
}
