import { describe, expect, it } from 'vitest';
import { normaliseWords } from '../../../shared/wer/normalise';

describe('normaliseWords', () => {
  it('lowercases and splits on any whitespace', () => {
    expect(normaliseWords('  Please\tHOLD\n the   Line ')).toEqual(['please', 'hold', 'the', 'line']);
  });

  it('turns punctuation into word boundaries', () => {
    expect(normaliseWords('Hello, world! Is it "you"? (Yes.) a/b; c:d')).toEqual([
      'hello',
      'world',
      'is',
      'it',
      'you',
      'yes',
      'a',
      'b',
      'c',
      'd',
    ]);
  });

  it('splits hyphenated words and drops dashes', () => {
    expect(normaliseWords('Call-Forward on voice-mail — now – please')).toEqual([
      'call',
      'forward',
      'on',
      'voice',
      'mail',
      'now',
      'please',
    ]);
  });

  it('keeps apostrophes inside words and drops them at word edges', () => {
    expect(normaliseWords("Don't stop, 'cause the students' o'clock party's 'on'")).toEqual([
      "don't",
      'stop',
      'cause',
      'the',
      'students',
      "o'clock",
      "party's",
      'on',
    ]);
  });

  it('treats typographic apostrophes as plain ones', () => {
    expect(normaliseWords('don’t can‘t it‛s I`m youʼre we´ll')).toEqual([
      "don't",
      "can't",
      "it's",
      "i'm",
      "you're",
      "we'll",
    ]);
  });

  it('keeps digits as written without spelling them out', () => {
    expect(normaliseWords('Press 1, then 42 or MP3 on the 1st; 3.5')).toEqual([
      'press',
      '1',
      'then',
      '42',
      'or',
      'mp3',
      'on',
      'the',
      '1st',
      '3',
      '5',
    ]);
  });

  it('drops reviewer tags with their content, as word boundaries', () => {
    expect(
      normaliseWords('[noise] turn on the [unintelligible] lights[tv]please [music][laughter] [CRITICAL:bank] now'),
    ).toEqual(['turn', 'on', 'the', 'lights', 'please', 'now']);
  });

  it('treats a lone bracket as punctuation', () => {
    expect(normaliseWords('a ] closing then [ opening')).toEqual(['a', 'closing', 'then', 'opening']);
  });

  it('folds compatibility forms with NFKC, including full-width tags', () => {
    expect(normaliseWords('ＨＥＬＬＯ ﬁne ［noise］ café')).toEqual(['hello', 'fine', 'café']);
  });

  it('keeps letters of other scripts', () => {
    expect(normaliseWords('Straße Ελλάδα мир')).toEqual(['straße', 'ελλάδα', 'мир']);
  });

  it('returns no words for empty text, tags only, or punctuation only', () => {
    expect(normaliseWords('')).toEqual([]);
    expect(normaliseWords('[noise] [silence]')).toEqual([]);
    expect(normaliseWords(" ... -- ' '' ?! ")).toEqual([]);
  });

  it('never yields a character sclite treats specially', () => {
    const words = normaliseWords('(uh) @ {a / b} word* -frag- x:y');
    expect(words).toEqual(['uh', 'a', 'b', 'word', 'frag', 'x', 'y']);
    expect(words.join(' ')).not.toMatch(/[()*@{}/:-]/u);
  });
});
