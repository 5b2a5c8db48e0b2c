/**
 * The operator's clip list for `batch pack`: a TSV with a header row and the columns clip_id,
 * file, asr_text, consent and locale. Optional columns: domain, device_type, wake_word. Any other
 * column is allowed and ignored (it never enters the package).
 */
import {
  consentValues,
  MAX_DOMAIN_HINT_CHARS,
  deviceTypes,
  localeSchema,
  type Consent,
} from '../../shared/batch-package/manifest';
import { MAX_ASR_CHARS, MAX_CLIPS } from '../../shared/batch-package/limits';
import { findIdentityInText, idProblem, identityInTextMessage } from '../../shared/batch-package/pseudonymous-ids';
import { inertText } from './inert-text';
import { unsafeFileNameReason } from './safe-name';

export const REQUIRED_COLUMNS = ['clip_id', 'file', 'asr_text', 'consent', 'locale'] as const;
const OPTIONAL_COLUMNS = ['domain', 'device_type', 'wake_word'] as const;

export type ClipRow = {
  readonly line: number;
  readonly clipId: string;
  readonly file: string;
  readonly asrText: string;
  readonly consent: Consent;
  readonly locale: string;
  readonly hints?: { domain?: string; deviceType?: (typeof deviceTypes)[number]; wakeWordDetected?: boolean };
};

export type ClipList = { readonly rows: readonly ClipRow[]; readonly ignoredColumns: readonly string[] };

/** Every problem found, one line each, so an operator can fix the file in one pass. */
export class ClipListError extends Error {
  override readonly name = 'ClipListError';
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    // Problems quote the operator's fields, which may hold terminal escapes or bidi overrides.
    const shown = problems.map(inertText);
    super(shown.join('\n'));
    this.problems = shown;
  }
}

export function parseClipsTsv(text: string): ClipList {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1] === '') {
    lines.pop();
  }
  const header = (lines[0] ?? '').split('\t').map((h) => h.trim().toLowerCase());
  const missing = REQUIRED_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    throw new ClipListError([`line 1: the header is missing column(s) ${missing.join(', ')}.`]);
  }
  const duplicates = header.filter((h, i) => header.indexOf(h) !== i);
  if (duplicates.length > 0) {
    throw new ClipListError([`line 1: column(s) ${[...new Set(duplicates)].join(', ')} appear more than once.`]);
  }
  const col = (name: string): number => header.indexOf(name);
  const problems: string[] = [];
  const rows: ClipRow[] = [];
  const seen = new Map<string, number>();
  if (lines.length - 1 > MAX_CLIPS) {
    throw new ClipListError([`The list has ${lines.length - 1} clips; a batch holds at most ${MAX_CLIPS}.`]);
  }
  lines.slice(1).forEach((raw, i) => {
    const line = i + 2;
    const f = raw.split('\t');
    if (f.length !== header.length) {
      problems.push(`line ${line}: ${f.length} fields, but the header has ${header.length}.`);
      return;
    }
    const get = (name: string): string => (col(name) >= 0 ? (f[col(name)] ?? '').trim() : '');
    const clipId = get('clip_id');
    const file = get('file');
    const consent = get('consent');
    const locale = get('locale');
    const asrText = get('asr_text');
    const here: string[] = [];
    const idRefused = idProblem('clip', clipId);
    if (idRefused !== undefined) {
      here.push(`clip_id "${clipId.slice(0, 80)}" is refused: ${idRefused}`);
    } else if (seen.has(clipId)) {
      here.push(`clip_id "${clipId}" already appears on line ${seen.get(clipId)}`);
    }
    const unsafe = unsafeFileNameReason(file);
    if (unsafe) {
      here.push(`file ${JSON.stringify(file.slice(0, 80))} ${unsafe}`);
    }
    if (!(consentValues as readonly string[]).includes(consent)) {
      here.push(`consent must be ${consentValues.join(' or ')}, not "${consent.slice(0, 40)}"`);
    }
    if (!localeSchema.safeParse(locale).success) {
      here.push(`locale "${locale.slice(0, 40)}" is not a language tag like en-US`);
    }
    if (asrText.length > MAX_ASR_CHARS) {
      here.push(`asr_text is longer than ${MAX_ASR_CHARS} characters`);
    }
    const deviceType = get('device_type');
    if (deviceType && !(deviceTypes as readonly string[]).includes(deviceType)) {
      here.push(`device_type must be one of ${deviceTypes.join(', ')}`);
    }
    const domain = get('domain');
    const identity = findIdentityInText(domain);
    if (domain.length > MAX_DOMAIN_HINT_CHARS) {
      here.push(`domain is longer than ${MAX_DOMAIN_HINT_CHARS} characters`);
    } else if (identity !== undefined) {
      here.push(`domain ${identityInTextMessage(identity.kind)}`);
    }
    const wake = get('wake_word');
    if (wake && wake !== 'yes' && wake !== 'no') {
      here.push('wake_word must be yes or no');
    }
    if (here.length > 0) {
      problems.push(...here.map((p) => `line ${line}: ${p}.`));
      return;
    }
    seen.set(clipId, line);
    const hints = {
      ...(domain ? { domain } : {}),
      ...(deviceType ? { deviceType: deviceType as (typeof deviceTypes)[number] } : {}),
      ...(wake ? { wakeWordDetected: wake === 'yes' } : {}),
    };
    rows.push({
      line,
      clipId,
      file,
      asrText,
      consent: consent as Consent,
      locale,
      ...(Object.keys(hints).length > 0 ? { hints } : {}),
    });
  });
  if (rows.length === 0 && problems.length === 0) {
    problems.push('The list has no clips.');
  }
  const locales = [...new Set(rows.map((r) => r.locale))];
  if (locales.length > 1) {
    problems.push(`All clips in a batch share one locale; this list has ${locales.join(', ')}.`);
  }
  if (problems.length > 0) {
    throw new ClipListError(problems);
  }
  const known = new Set<string>([...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS]);
  return { rows, ignoredColumns: header.filter((h) => !known.has(h)) };
}
