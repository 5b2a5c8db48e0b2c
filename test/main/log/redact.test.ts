import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createRedactor,
  isClipIdKey,
  isContentKey,
  MAX_LOG_STRING,
  REDACTED,
  truncate,
} from '../../../main/log/redact';

const KEY = Buffer.alloc(32, 7);
const redactor = createRedactor(KEY);

describe('content keys', () => {
  it.each([
    'transcript',
    'asrText',
    'asr_text',
    'ASRText',
    'text',
    'hypothesis',
    'reference',
    'note',
    'notes',
    'audio',
    'audioPath',
    'correctedText',
    'reviewerNote',
  ])('treats %s as clip content', (key) => {
    expect(isContentKey(key)).toBe(true);
  });

  it.each(['batchId', 'channel', 'status', 'context', 'error', 'imported', 'file'])(
    'treats %s as a plain fact',
    (key) => {
      expect(isContentKey(key)).toBe(false);
    },
  );

  it.each(['clipId', 'clip_id', 'clipIds', 'clipIDs', 'ClipId'])('recognises %s as clip ids', (key) => {
    expect(isClipIdKey(key)).toBe(true);
  });

  it.each(['batchId', 'clip', 'clipCount', 'id'])('does not take %s for a clip id', (key) => {
    expect(isClipIdKey(key)).toBe(false);
  });
});

describe('redacting a log context', () => {
  it('replaces transcripts, ASR text, notes and audio with [redacted]', () => {
    expect(
      redactor.context({
        transcript: 'my card number is 4111 1111 1111 1111',
        asrText: 'my cart number is',
        hypothesis: 'h',
        reference: 'r',
        note: 'sounds upset',
        audio: 'T2dnUwACAAAAAAAA',
      }),
    ).toEqual({
      transcript: REDACTED,
      asrText: REDACTED,
      hypothesis: REDACTED,
      reference: REDACTED,
      note: REDACTED,
      audio: REDACTED,
    });
  });

  it('keeps numbers and flags under content keys: they cannot carry words', () => {
    expect(redactor.context({ textLength: 42, hasAudio: true, audioMs: null })).toEqual({
      textLength: 42,
      hasAudio: true,
      audioMs: null,
    });
  });

  it('replaces a clip id with the first 8 hex digits of its HMAC-SHA256 under the run key', () => {
    const expected = createHmac('sha256', KEY).update('c-KKKKKKKKKK000123').digest('hex').slice(0, 8);
    expect(redactor.context({ clipId: 'c-KKKKKKKKKK000123' })).toEqual({ clipId: expected });
    expect(expected).toMatch(/^[0-9a-f]{8}$/);
  });

  it('hashes the same clip id the same way within a run, so lines can be correlated', () => {
    const a = redactor.context({ clipId: 'c-KKKKKKKKKK000123' });
    const b = createRedactor(KEY).context({ clip_id: 'c-KKKKKKKKKK000123' });
    expect(a['clipId']).toBe(b['clip_id']);
    expect(redactor.context({ clipId: 'c-KKKKKKKKKK000124' })['clipId']).not.toBe(a['clipId']);
  });

  it('hashes differently in another run, so logs cannot be joined across runs', () => {
    expect(createRedactor(Buffer.alloc(32, 8)).clipRef('c-KKKKKKKKKK000123')).not.toBe(
      redactor.clipRef('c-KKKKKKKKKK000123'),
    );
  });

  it('uses one random key for every redactor of a process when none is given', () => {
    const first = createRedactor().clipRef('c-KKKKKKKKKK000123');
    expect(createRedactor().clipRef('c-KKKKKKKKKK000123')).toBe(first);
    expect(first).not.toBe(redactor.clipRef('c-KKKKKKKKKK000123'));
  });

  it('hashes each id of a comma-separated list and numeric ids', () => {
    const out = redactor.context({ clipIds: 'a, b', clipId: 17 });
    expect(out['clipIds']).toBe(`${redactor.clipRef('a')},${redactor.clipRef('b')}`);
    expect(out['clipId']).toBe(redactor.clipRef('17'));
  });

  it('keeps plain facts as they are', () => {
    const facts = { batchId: 'b-AAAAAAAAAAAAAAA1', channel: 'clips:open', imported: 40, ok: true, reason: null };
    expect(redactor.context(facts)).toEqual(facts);
  });

  it(`truncates any other string longer than ${MAX_LOG_STRING} characters`, () => {
    const long = 'x'.repeat(MAX_LOG_STRING + 50);
    const out = redactor.context({ error: long })['error'];
    expect(out).toBe(`${'x'.repeat(MAX_LOG_STRING)}…[+50 chars]`);
    expect(truncate('short')).toBe('short');
  });

  it("cannot overwrite the logger's own time, level or message", () => {
    expect(redactor.context({ message: 'forged', level: 'debug', time: 'then' })).toEqual({
      'context.message': 'forged',
      'context.level': 'debug',
      'context.time': 'then',
    });
  });

  it('leaves its input unchanged', () => {
    const context = { transcript: 'secret' };
    redactor.context(context);
    expect(context).toEqual({ transcript: 'secret' });
  });
});
