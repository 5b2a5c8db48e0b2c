/**
 * The JSON parts of a package (header, sealed details): bytes to a checked value, refusing the
 * package with a line a reviewer or an operator can act on.
 */
import { type z } from 'zod';
import { findJsonShapeProblem } from '../../shared/batch-package/identity-fields';
import { findJsonLimitProblem } from '../../shared/batch-package/json-limits';
import { MAX_JSON_DEPTH, MAX_JSON_MEMBERS } from '../../shared/batch-package/limits';
import { refuse } from './package-refusal';

/** An issue can quote every unknown field name of a hostile object: keep each line readable. */
const MAX_ISSUE_CHARS = 200;

function issuesOf(error: z.ZodError, where: string): string[] {
  return error.issues.slice(0, 10).map((i) => {
    const message = i.message.length > MAX_ISSUE_CHARS ? `${i.message.slice(0, MAX_ISSUE_CHARS)}…` : i.message;
    return `${where}${i.path.length ? ` ${i.path.map(String).join('.')}` : ''}: ${message}.`;
  });
}

/**
 * UTF-8 JSON with no BOM, within the depth and member limits, then `precheck` (a problem it names
 * is said instead of a schema error), no identity-like fields, then the schema.
 */
export function parseJson<T>(
  bytes: Buffer,
  schema: z.ZodType<T>,
  where: string,
  precheck?: (value: unknown) => string | undefined,
): T {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    refuse(`The ${where} starts with a byte-order mark; it must be plain UTF-8 JSON.`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return refuse(`The ${where} is not valid UTF-8.`);
  }
  // Depth and size first, from the text: a few MiB can describe millions of nodes.
  const limit = findJsonLimitProblem(text, { maxDepth: MAX_JSON_DEPTH, maxMembers: MAX_JSON_MEMBERS });
  if (limit?.kind === 'depth') {
    refuse(`The ${where} nests deeper than ${MAX_JSON_DEPTH} levels at ${limit.path}.`);
  }
  if (limit?.kind === 'members') {
    refuse(
      `The ${where} has more than ${MAX_JSON_MEMBERS} entries in ${limit.path}; a batch holds at most ${MAX_JSON_MEMBERS} clips.`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return refuse(`The ${where} is not valid JSON (${error instanceof Error ? error.message : 'parse error'}).`);
  }
  const early = precheck?.(value);
  if (early) {
    refuse(early);
  }
  const shape = findJsonShapeProblem(value, MAX_JSON_DEPTH);
  if (shape?.kind === 'identity') {
    refuse(`The ${where} has an identity-like field "${shape.path}"; batches carry pseudonymous ids only.`);
  }
  if (shape?.kind === 'depth') {
    refuse(`The ${where} nests deeper than ${MAX_JSON_DEPTH} levels at ${shape.path}.`);
  }
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : refuse(...issuesOf(parsed.error, `The ${where}`));
}
