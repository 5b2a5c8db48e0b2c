import { useLayoutEffect, useRef, type RefObject } from 'react';
import type { AnnotationBody } from '../../../shared/domain/annotation';
import { spanRuns, type Run } from '../../review/span-layers';
import { useAppStoreApi } from '../../store/store-context';

/** Builds one run: its text inside one element per tag covering it, the lowest track outermost. */
function runNode(text: string, run: Run): Node {
  let node: Node = document.createTextNode(text.slice(run.start, run.end));
  for (let i = run.layers.length - 1; i >= 0; i -= 1) {
    const layer = run.layers[i];
    if (layer) {
      const mark = document.createElement('span');
      mark.className = `hl hl-${layer.kind}`;
      mark.dataset['track'] = String(Math.min(layer.track, 2));
      mark.append(node);
      node = mark;
    }
  }
  return node;
}

const tagged = (body: AnnotationBody): boolean => body.critical.length + body.entities.length > 0;

/**
 * Tagged spans drawn behind the transcript box: a copy of its text, laid out like it but
 * invisible, with the tagged runs tinted and underlined (critical data solid, entities dashed;
 * a second tag on the same words gets its own underline below the first). The box itself stays
 * an ordinary textarea, so caret, selection, IME and undo are the browser's own.
 *
 * The copy is written straight to the DOM from a store subscription, not through React, and
 * only while something is tagged: with no tags a keystroke costs nothing here, with tags it
 * rewrites a few nodes in the same frame as the keystroke, so the marks never lag the text.
 */
export function TranscriptHighlights({ box }: { box: RefObject<HTMLTextAreaElement | null> }) {
  const layer = useRef<HTMLDivElement>(null);
  const store = useAppStoreApi();

  useLayoutEffect(() => {
    const el = layer.current;
    const textarea = box.current;
    if (!el || !textarea) {
      return undefined;
    }
    let shown = false;
    const draw = (body: AnnotationBody): void => {
      if (!tagged(body)) {
        if (shown) {
          el.replaceChildren();
          shown = false;
        }
        return;
      }
      const nodes = spanRuns(body).map((run) => runNode(body.transcript, run));
      // A text ending in a line break shows an empty last line in the box; the copy needs it too.
      el.replaceChildren(...nodes, '\n ');
      el.scrollTop = textarea.scrollTop;
      shown = true;
    };
    const follow = (): void => {
      if (shown) {
        el.scrollTop = textarea.scrollTop;
      }
    };
    draw(store.getState().review.body);
    textarea.addEventListener('scroll', follow, { passive: true });
    const stop = store.subscribe((s, prev) => {
      if (s.review.body !== prev.review.body) {
        draw(s.review.body);
      }
    });
    return () => {
      stop();
      textarea.removeEventListener('scroll', follow);
    };
  }, [box, store]);

  return <div ref={layer} className="transcript-highlights" aria-hidden="true" dir="auto" data-testid="highlights" />;
}
