import type { Ref } from 'react';
import type { AnnotationBody } from '../../../shared/domain/annotation';
import { spanRuns, type Run } from '../../review/span-layers';
import type { AppStore } from '../../store';

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
 * Draws the store's tagged spans into `layer` behind the transcript box (`box()`, which a new
 * clip replaces) and keeps them in step with the text and the box's scrolling; returns the stop.
 * Written straight to the DOM from a store subscription, not through React, and only while
 * something is tagged: with no tags a keystroke costs nothing here, with tags it rewrites a few
 * nodes in the same frame as the keystroke, so the marks never lag the text. The box's scrolling
 * is heard on the layer's parent, where every box the layer has sat behind has been.
 */
export function followHighlights(
  layer: HTMLElement,
  store: AppStore,
  box: () => HTMLTextAreaElement | null,
): () => void {
  let shown = false;
  const draw = (body: AnnotationBody): void => {
    if (!tagged(body)) {
      if (shown) {
        layer.replaceChildren();
        shown = false;
      }
      return;
    }
    const nodes = spanRuns(body).map((run) => runNode(body.transcript, run));
    // A text ending in a line break shows an empty last line in the box; the copy needs it too.
    layer.replaceChildren(...nodes, '\n ');
    layer.scrollTop = box()?.scrollTop ?? 0;
    shown = true;
  };
  const follow = (e: Event): void => {
    const el = box();
    if (shown && el && e.target === el) {
      layer.scrollTop = el.scrollTop;
    }
  };
  const parent = layer.parentElement;
  draw(store.getState().review.body);
  // Scroll events do not bubble; the capture phase reaches the parent all the same.
  parent?.addEventListener('scroll', follow, { capture: true, passive: true });
  const stop = store.subscribe((s, prev) => {
    if (s.review.body !== prev.review.body) {
      draw(s.review.body);
    }
  });
  return () => {
    stop();
    parent?.removeEventListener('scroll', follow, { capture: true });
  };
}

/**
 * The layer the tagged spans are drawn in (followHighlights): a copy of the box's text, laid out
 * like it but invisible, with the tagged runs tinted and underlined (critical data solid,
 * entities dashed; a second tag on the same words gets its own underline below the first). The
 * box itself stays an ordinary textarea, so caret, selection, IME and undo are the browser's own.
 */
export function TranscriptHighlights({ layer }: { readonly layer: Ref<HTMLDivElement> }) {
  return <div ref={layer} className="transcript-highlights" aria-hidden="true" dir="auto" data-testid="highlights" />;
}
