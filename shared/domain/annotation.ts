/**
 * What a reviewer records for a clip. Offsets are UTF-16 code-unit positions in `transcript`,
 * half-open [start, end).
 */

/** One key each in the review screen. */
export const dispositions = [
  'transcribed',
  'no_wake_word',
  'tv_media',
  'noise_only',
  'unintelligible',
  'other_language',
] as const;
export type Disposition = (typeof dispositions)[number];

export const criticalCategories = ['bank_card', 'address', 'phone', 'health', 'credentials', 'other'] as const;
export type CriticalCategory = (typeof criticalCategories)[number];

export const defaultEntityTypes = ['artist', 'song', 'album', 'contact', 'place', 'app', 'product'] as const;
/** An entity type: a short lower-case word (letters, digits, `_`), as spans and settings store it. */
export const entityTypePattern = /^[a-z][a-z0-9_]{0,31}$/;

export const escalationCategories = ['crime_or_abuse', 'self_harm', 'child_safety', 'other'] as const;
export type EscalationCategory = (typeof escalationCategories)[number];
/** Whether a stored label is one of {@link escalationCategories}. */
export const isEscalationCategory = (label: unknown): label is EscalationCategory =>
  (escalationCategories as readonly unknown[]).includes(label);

export type CriticalSpan = { readonly start: number; readonly end: number; readonly category: CriticalCategory };
export type EntitySpan = {
  readonly start: number;
  readonly end: number;
  readonly type: string;
  readonly kbId?: string | undefined;
};

/** The longest transcript main stores; the editor stops input there, so a huge paste cannot stall the page. */
export const MAX_TRANSCRIPT_CHARS = 10_000;

/** The editable part of an annotation: what drafts hold and what a submit sends. */
export type AnnotationBody = {
  readonly transcript: string;
  readonly critical: readonly CriticalSpan[];
  readonly entities: readonly EntitySpan[];
};

/** One stored revision. Revisions are never changed: an amendment adds the next one. */
export type Annotation = AnnotationBody & {
  readonly batchId: string;
  readonly clipId: string;
  readonly revision: number;
  /** Unique per revision; the annotation service deduplicates on it. */
  readonly opId: string;
  readonly disposition: Disposition;
  /** Milliseconds since the epoch. */
  readonly submittedAt: number;
};

/** Unsubmitted work on a clip, saved as the reviewer types. */
export type Draft = AnnotationBody & {
  /** The revision this draft amends; 0 for a clip never submitted. */
  readonly basedOnRevision: number;
  readonly savedAt: number;
  /** The disposition chosen but not yet submitted; null when none was chosen (or saved before drafts kept it). */
  readonly disposition: Disposition | null;
};

/** Where a reviewer stands in a batch, to resume exactly there. */
export type ReviewState = {
  readonly batchId: string;
  /** The clip that was open last, if any. */
  readonly currentClipId: string | null;
  /** Latest revision per submitted clip. */
  readonly submitted: readonly {
    readonly clipId: string;
    readonly revision: number;
    readonly disposition: Disposition;
  }[];
};

/** A clip's saved work: its latest revision and any newer draft (an older draft is dropped). */
export type ClipWork = { readonly latest: Annotation | null; readonly draft: Draft | null };

export type EscalationRequest = {
  readonly batchId: string;
  readonly clipId: string;
  readonly category: EscalationCategory;
  readonly note: string;
};
