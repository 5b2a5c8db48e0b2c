/**
 * Finds, reads and validates the machine-wide admin policy file. No file means no policy (the
 * defaults and the user's settings apply). A file that is there but unreadable, not JSON or
 * wrong in any value is a {@link PolicyError}: the app refuses to start rather than quietly run
 * on defaults the admin meant to override. Unknown keys are reported, not fatal.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, win32 } from 'node:path';
import type { z } from 'zod';
import type { Logger } from '../log/logger';
import { policySchema, unknownPolicyKeys, type Policy } from './policy.schema';
import { programDataFolder, windowsProgramData, type ProgramDataReader } from './program-data';

/** Points the app at another policy file; honoured only when the app is not packaged. */
export const POLICY_FILE_ENV = 'EARMARK_POLICY_FILE';

/** A policy is a handful of keys; anything bigger is not a policy file. */
export const MAX_POLICY_BYTES = 64 * 1024;

type Env = Readonly<Record<string, string | undefined>>;

/** The outcome of looking for the policy. */
export type PolicyLoadResult = {
  /** The file that was looked for. */
  readonly file: string;
  /** False when there is no file: no setting is pinned. */
  readonly found: boolean;
  /** The validated policy; `{}` when there is no file. */
  readonly policy: Policy;
  /** Dotted paths of keys this version does not know (`breaks.lunch`): reported, not applied. */
  readonly unknownKeys: readonly string[];
  /** Things an admin should fix that do not stop the app (a file other users may write). */
  readonly warnings: readonly string[];
};

/** Why the policy file cannot be used; `message` is written for the error box. */
export class PolicyError extends Error {
  override readonly name = 'PolicyError';

  constructor(
    /** The policy file at fault. */
    readonly file: string,
    /** The first offending key as a dotted path, or null when the whole file is at fault. */
    readonly field: string | null,
    /** What is wrong, without the file name. */
    readonly detail: string,
  ) {
    super(
      `The admin policy file ${file} ${detail}\n\n` +
        'Earmark will not start on default settings while its policy is broken. ' +
        'Ask your IT administrator to fix or remove the file.',
    );
  }
}

/**
 * The machine-wide policy location for a platform:
 * Windows `<ProgramData>\Earmark\policy.json`, with ProgramData asked of the OS
 * (program-data.ts), never taken from the environment a user controls; macOS
 * `/Library/Application Support/Earmark/policy.json`; Linux and others `/etc/earmark/policy.json`.
 * @throws Error on Windows when the OS cannot say where ProgramData is.
 */
export function machinePolicyPath(
  platform: NodeJS.Platform,
  programData: ProgramDataReader = windowsProgramData,
): string {
  switch (platform) {
    case 'win32':
      return win32.join(programDataFolder(programData), 'Earmark', 'policy.json');
    case 'darwin':
      return '/Library/Application Support/Earmark/policy.json';
    default:
      return '/etc/earmark/policy.json';
  }
}

/**
 * The policy file this run uses: {@link POLICY_FILE_ENV} in development builds only (a packaged
 * app must not let a user point it at a policy of their own), otherwise the machine location.
 */
export function resolvePolicyFile(o: {
  platform: NodeJS.Platform;
  env: Env;
  isPackaged: boolean;
  programData?: ProgramDataReader;
}): string {
  const override = o.env[POLICY_FILE_ENV];
  if (!o.isPackaged && override !== undefined && override !== '') {
    return override;
  }
  return machinePolicyPath(o.platform, o.programData);
}

/** Text of the file: UTF-8 (with or without BOM) or UTF-16 LE (PowerShell 5's `Out-File`). */
export function decodePolicyBytes(bytes: Uint8Array, file: string): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    throw new PolicyError(file, null, 'is saved as UTF-16 big-endian; save it as UTF-8.');
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new PolicyError(file, null, 'is not valid UTF-8 text; save it as UTF-8.');
  }
}

const issuePath = (path: readonly PropertyKey[]): string =>
  path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i > 0 ? '.' : ''}${String(p)}`)).join('');

function describeIssues(issues: z.ZodError['issues']): string {
  const shown = issues.slice(0, 5).map((i) => (i.path.length > 0 ? `"${issuePath(i.path)}" ${i.message}` : i.message));
  const more = issues.length > shown.length ? `; and ${issues.length - shown.length} more` : '';
  return `${shown.join('; ')}${more}.`;
}

/** Parses and validates policy text. Throws {@link PolicyError} naming the file and the field. */
export function parsePolicy(text: string, file: string): { policy: Policy; unknownKeys: string[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const why = error instanceof Error ? ` (${error.message})` : '';
    throw new PolicyError(file, null, `is not valid JSON${why}.`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new PolicyError(file, null, 'must hold one JSON object, e.g. { "idleLockMinutes": 5 }.');
  }
  const parsed = policySchema.safeParse(raw);
  if (!parsed.success) {
    const [first] = parsed.error.issues;
    const field = first && first.path.length > 0 ? issuePath(first.path) : null;
    throw new PolicyError(file, field, `is invalid: ${describeIssues(parsed.error.issues)}`);
  }
  return { policy: parsed.data, unknownKeys: unknownPolicyKeys(raw as Record<string, unknown>) };
}

const isMissing = (error: unknown): boolean =>
  error instanceof Error && 'code' in error && (error.code === 'ENOENT' || error.code === 'ENOTDIR');

/** Reads the file; undefined when it does not exist. */
function readPolicyBytes(file: string): Buffer | undefined {
  try {
    const stat = statSync(file);
    if (!stat.isFile()) {
      throw new PolicyError(file, null, 'is not a regular file.');
    }
    if (stat.size > MAX_POLICY_BYTES) {
      throw new PolicyError(file, null, `is larger than ${MAX_POLICY_BYTES / 1024} KiB; it cannot be a policy file.`);
    }
    return readFileSync(file);
  } catch (error) {
    if (error instanceof PolicyError) {
      throw error;
    }
    if (isMissing(error)) {
      return undefined;
    }
    const code = error instanceof Error && 'code' in error ? String(error.code) : 'unknown error';
    throw new PolicyError(file, null, `could not be read (${code}).`);
  }
}

/**
 * On POSIX a policy that other users may write (or replace, through its folder) is no policy at
 * all; tell the admin. Windows ACLs are not checked here: docs/deployment.md says how to set them.
 */
function permissionWarnings(file: string, platform: NodeJS.Platform): string[] {
  if (platform === 'win32') {
    return [];
  }
  const fileMode = statSync(file).mode;
  const dirMode = statSync(dirname(file)).mode;
  // A sticky folder (like /tmp) lets others add files but not replace this one.
  const dirOpen = (dirMode & 0o022) !== 0 && (dirMode & 0o1000) === 0;
  return [
    ...((fileMode & 0o022) !== 0 ? ['the policy file is writable by users other than its owner'] : []),
    ...(dirOpen ? ['the folder of the policy file is writable by users other than its owner'] : []),
  ];
}

/**
 * Loads the policy at `file`. Throws {@link PolicyError} when the file exists but cannot be
 * used; logs unknown keys and permission problems as warnings and returns them.
 */
export function loadPolicy(o: { file: string; logger: Logger; platform?: NodeJS.Platform }): PolicyLoadResult {
  const bytes = readPolicyBytes(o.file);
  if (bytes === undefined) {
    o.logger.info('policy: no policy file; defaults and user settings apply', { file: o.file });
    return { file: o.file, found: false, policy: {}, unknownKeys: [], warnings: [] };
  }
  const { policy, unknownKeys } = parsePolicy(decodePolicyBytes(bytes, o.file), o.file);
  const warnings = permissionWarnings(o.file, o.platform ?? process.platform);
  if (unknownKeys.length > 0) {
    o.logger.warn('policy: unknown keys ignored', { file: o.file, keys: unknownKeys.join(', ') });
  }
  for (const warning of warnings) {
    o.logger.warn('policy: check the file', { file: o.file, problem: warning });
  }
  o.logger.info('policy: loaded', { file: o.file, pinned: Object.keys(policy).join(', ') });
  return { file: o.file, found: true, policy, unknownKeys, warnings };
}
