import { describe, expect, it } from 'vitest';
import type { Annotation, Draft, ReviewState } from '../../../shared/domain/annotation';
import type { ClipSummary } from '../../../shared/domain/clip';
import { bodyOf, nextUnsubmitted, startIndex, startingWork } from '../../../renderer/review/opened-work';

const clips: ClipSummary[] = [
  'c-AAAAAAAAAAAAAAA1',
  'c-AAAAAAAAAAAAAAA2',
  'c-AAAAAAAAAAAAAAA3',
  'c-AAAAAAAAAAAAAAA4',
].map((id, i) => ({
  id,
  ordinal: i,
  state: 'ready',
  durationMs: 1_000,
  reason: null,
}));
const state = (over: Partial<ReviewState> = {}): ReviewState => ({
  batchId: 'b-AAAAAAAAAAAAAAA1',
  currentClipId: null,
  submitted: [],
  ...over,
});
const done = (clipId: string, revision = 1) => ({ clipId, revision, disposition: 'transcribed' as const });

const latest = (over: Partial<Annotation> = {}): Annotation => ({
  batchId: 'b-AAAAAAAAAAAAAAA1',
  clipId: 'c-AAAAAAAAAAAAAAA1',
  revision: 1,
  opId: 'op-1',
  disposition: 'noise_only',
  submittedAt: 1_000,
  transcript: 'submitted text',
  critical: [],
  entities: [],
  ...over,
});
const draft = (over: Partial<Draft> = {}): Draft => ({
  basedOnRevision: 1,
  savedAt: 2_000,
  transcript: 'draft text',
  critical: [],
  entities: [],
  disposition: null,
  ...over,
});

describe('where a batch resumes', () => {
  it('resumes at the clip that was open last', () => {
    expect(
      startIndex(clips, state({ currentClipId: 'c-AAAAAAAAAAAAAAA3', submitted: [done('c-AAAAAAAAAAAAAAA1')] })),
    ).toBe(2);
  });

  it('else starts at the first clip not yet submitted', () => {
    expect(startIndex(clips, state({ submitted: [done('c-AAAAAAAAAAAAAAA1'), done('c-AAAAAAAAAAAAAAA2')] }))).toBe(2);
    expect(startIndex(clips, state({ currentClipId: 'gone', submitted: [done('c-AAAAAAAAAAAAAAA1')] }))).toBe(1);
  });

  it('starts at the first clip when every clip is submitted', () => {
    expect(startIndex(clips, state({ submitted: clips.map((c) => done(c.id)) }))).toBe(0);
  });
});

describe('where "next" goes after a submit', () => {
  it('goes to the next clip not yet submitted, wrapping round', () => {
    expect(nextUnsubmitted(clips, [done('c-AAAAAAAAAAAAAAA1')], 0)).toBe(1);
    expect(nextUnsubmitted(clips, [done('c-AAAAAAAAAAAAAAA2'), done('c-AAAAAAAAAAAAAAA3')], 0)).toBe(3);
    expect(nextUnsubmitted(clips, [done('c-AAAAAAAAAAAAAAA3'), done('c-AAAAAAAAAAAAAAA4')], 3)).toBe(0);
  });

  it('returns to the first unsubmitted clip after an amendment', () => {
    expect(
      nextUnsubmitted(clips, [done('c-AAAAAAAAAAAAAAA1'), done('c-AAAAAAAAAAAAAAA2'), done('c-AAAAAAAAAAAAAAA3')], 0),
    ).toBe(3);
  });

  it('is null when every clip is submitted', () => {
    expect(
      nextUnsubmitted(
        clips,
        clips.map((c) => done(c.id)),
        1,
      ),
    ).toBeNull();
  });
});

describe('what a clip opens with', () => {
  it('prefills the recognizer text, or nothing, for a clip never worked on', () => {
    const empty = { latest: null, draft: null };
    expect(startingWork(empty, 'call mom', 'asr')).toEqual({
      body: { transcript: 'call mom', critical: [], entities: [] },
      disposition: 'transcribed',
      basedOnRevision: 0,
      fromDraft: false,
    });
    expect(startingWork(empty, 'call mom', 'blank').body.transcript).toBe('');
  });

  it('opens a submitted clip with its latest revision, ready to amend it', () => {
    expect(startingWork({ latest: latest(), draft: null }, 'asr', 'asr')).toEqual({
      body: { transcript: 'submitted text', critical: [], entities: [] },
      disposition: 'noise_only',
      basedOnRevision: 1,
      fromDraft: false,
    });
  });

  it('restores a draft that is newer than the latest revision', () => {
    const start = startingWork({ latest: latest(), draft: draft() }, 'asr', 'asr');
    expect(start).toMatchObject({ body: { transcript: 'draft text' }, basedOnRevision: 1, fromDraft: true });
  });

  it("restores the draft's chosen disposition, else keeps the latest revision's", () => {
    expect(
      startingWork({ latest: latest(), draft: draft({ disposition: 'tv_media' }) }, 'asr', 'asr').disposition,
    ).toBe('tv_media');
    expect(startingWork({ latest: latest(), draft: draft() }, 'asr', 'asr').disposition).toBe(latest().disposition);
  });

  it('never lets an older draft overwrite a newer revision', () => {
    expect(
      startingWork({ latest: latest({ revision: 2 }), draft: draft({ basedOnRevision: 1 }) }, 'a', 'asr').body
        .transcript,
    ).toBe('submitted text');
    expect(
      startingWork({ latest: latest({ submittedAt: 5_000 }), draft: draft({ savedAt: 4_000 }) }, 'a', 'asr').fromDraft,
    ).toBe(false);
  });

  it('restores a draft of a clip never submitted', () => {
    expect(startingWork({ latest: null, draft: draft({ basedOnRevision: 0 }) }, 'a', 'asr')).toMatchObject({
      fromDraft: true,
      basedOnRevision: 0,
    });
  });

  it('sends exactly the body fields the schema accepts', () => {
    const body = bodyOf({
      ...latest({
        entities: [{ start: 0, end: 3, type: 'contact', kbId: undefined }],
        critical: [{ start: 0, end: 3, category: 'phone' }],
      }),
    });

    expect(Object.keys(body).sort()).toEqual(['critical', 'entities', 'transcript']);
    expect(body.entities).toEqual([{ start: 0, end: 3, type: 'contact' }]);
    expect(Object.keys(body.entities[0] ?? {})).toEqual(['start', 'end', 'type']);
  });
});
