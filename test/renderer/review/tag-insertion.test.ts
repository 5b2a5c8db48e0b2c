import { afterEach, describe, expect, it } from 'vitest';
import { spacedTag } from '../../../renderer/review/tag-insertion';
import { textareaPort } from '../../../renderer/review/transcript-port';

describe('spacing a tag from the words round it', () => {
  const at = (text: string, caret: number) => spacedTag(text, { start: caret, end: caret }, '[noise]');

  it('adds a space on the side where a word would otherwise touch the tag', () => {
    expect(at('hello', 5)).toBe(' [noise]');
    expect(at('world', 0)).toBe('[noise] ');
    expect(at('helloworld', 5)).toBe(' [noise] ');
  });

  it('adds nothing next to blanks or at the ends of the text', () => {
    expect(at('', 0)).toBe('[noise]');
    expect(at('hello world', 6)).toBe('[noise] ');
    expect(at('hello world', 5)).toBe(' [noise]');
    expect(at('a  b', 2)).toBe('[noise]');
    expect(at('line\nnext', 5)).toBe('[noise] ');
  });

  it('lets a tag touch opening brackets before it and punctuation after it', () => {
    expect(at('(hello', 1)).toBe('[noise] ');
    expect(at('hello.', 5)).toBe(' [noise]');
    expect(at('hello, world', 5)).toBe(' [noise]');
    expect(at('¿qué?', 1)).toBe('[noise] ');
  });

  it('spaces a tag from another tag', () => {
    expect(at('[music]', 7)).toBe(' [noise]');
    expect(at('[music]', 0)).toBe('[noise] ');
  });

  it('looks past a selection to the text on either side of it', () => {
    expect(spacedTag('say what now', { start: 4, end: 8 }, '[tv]')).toBe('[tv]');
    expect(spacedTag('say what now', { start: 3, end: 9 }, '[tv]')).toBe(' [tv] ');
    expect(spacedTag('saywhatnow', { start: 3, end: 7 }, '[tv]')).toBe(' [tv] ');
  });
});

describe('the transcript box port', () => {
  let box: HTMLTextAreaElement;

  const mount = (value: string): HTMLTextAreaElement => {
    box = document.createElement('textarea');
    box.value = value;
    document.body.append(box);
    return box;
  };

  afterEach(() => box.remove());

  it('replaces a range as typing would: focused, caret after the text, one input event', () => {
    const el = mount('hello big world');
    const inputs: string[] = [];
    el.addEventListener('input', () => inputs.push(el.value));

    expect(textareaPort(() => el).replace({ start: 6, end: 9 }, '[noise]')).toBe(true);

    expect(el.value).toBe('hello [noise] world');
    expect(document.activeElement).toBe(el);
    expect([el.selectionStart, el.selectionEnd]).toEqual([13, 13]);
    expect(inputs).toEqual(['hello [noise] world']);
  });

  it('reads the caret and puts it back exactly, backwards selection and scroll included', () => {
    const el = mount('one two three');
    el.setSelectionRange(4, 7, 'backward');
    const port = textareaPort(() => el);
    const snapshot = port.read();
    expect(snapshot).toEqual({ value: 'one two three', start: 4, end: 7, backward: true, scrollTop: 0 });
    el.setSelectionRange(0, 0);
    el.blur();

    if (snapshot) {
      port.restore(snapshot);
    }

    expect(document.activeElement).toBe(el);
    expect([el.selectionStart, el.selectionEnd, el.selectionDirection]).toEqual([4, 7, 'backward']);
  });

  it('does nothing without a box', () => {
    const port = textareaPort(() => null);
    mount('');
    expect(port.read()).toBeNull();
    expect(port.replace({ start: 0, end: 0 }, '[tv]')).toBe(false);
  });
});
