/**
 * The clip-switch floor: a page holding only what a switch must change, run under the same
 * probe as the app. On Ctrl+Enter it shows the next clip's id, puts a new transcript box with
 * that clip's text in place of the old one and focuses it, and plays the next clip's audio,
 * which was loaded ahead from a blob: URL as the app loads it. No framework, no store, no IPC.
 */

export type BareClip = { readonly id: string; readonly text: string; readonly bytes: string };

export type BareSwitch = {
  /** Shows the first clip and loads the next ones; resolves once the first one plays. */
  start(clips: readonly BareClip[]): Promise<void>;
  /** Resolves once the clip on screen has played to its end. */
  ended(): Promise<void>;
};

const AHEAD = 3;
const RATE = 2;

let clips: readonly BareClip[] = [];
let index = 0;
const loaded = new Map<number, HTMLAudioElement>();

function audioFor(i: number): HTMLAudioElement | null {
  const clip = clips[i];
  if (!clip) {
    return null;
  }
  let el = loaded.get(i);
  if (!el) {
    const bytes = Uint8Array.from(atob(clip.bytes), (c) => c.charCodeAt(0));
    el = new Audio(URL.createObjectURL(new Blob([bytes], { type: 'audio/ogg' })));
    el.preload = 'auto';
    // As the app plays it: pitch kept, at the double speed the benchmark's reviewer uses.
    el.preservesPitch = true;
    el.load();
    el.playbackRate = RATE;
    loaded.set(i, el);
  }
  return el;
}

function loadAhead(): void {
  for (let i = index + 1; i <= index + AHEAD; i += 1) {
    audioFor(i);
  }
  for (const [i, el] of loaded) {
    if (i < index) {
      URL.revokeObjectURL(el.src);
      el.removeAttribute('src');
      loaded.delete(i);
    }
  }
}

function show(i: number): void {
  const clip = clips[i];
  const idEl = document.querySelector('[data-testid="clip-id"]');
  const old = document.getElementById('transcript');
  if (!clip || !idEl || !old) {
    return;
  }
  loaded.get(index)?.pause();
  index = i;
  idEl.textContent = clip.id;
  const box = document.createElement('textarea');
  box.id = 'transcript';
  box.rows = 3;
  box.value = clip.text;
  old.replaceWith(box);
  box.setSelectionRange(box.value.length, box.value.length);
  box.focus();
  void audioFor(i)?.play();
  requestAnimationFrame(() => setTimeout(loadAhead, 0));
}

addEventListener('keydown', (e) => {
  if (e.code === 'Enter' && (e.ctrlKey || e.metaKey)) {
    e.preventDefault();
    show(index + 1);
  }
});

const bare: BareSwitch = {
  async start(list) {
    clips = list;
    index = 0;
    show(0);
    const first = loaded.get(0);
    if (first && first.paused) {
      await new Promise((done) => first.addEventListener('playing', done, { once: true }));
    }
  },
  ended() {
    const el = loaded.get(index);
    return !el || el.ended
      ? Promise.resolve()
      : new Promise((done) => el.addEventListener('ended', () => done(), { once: true }));
  },
};
(window as Window & { __bareSwitch?: BareSwitch }).__bareSwitch = bare;
