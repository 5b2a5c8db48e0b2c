/**
 * Runs work once the next frame has been painted, so what the reviewer waits for (the next
 * clip on screen) is drawn before background work (prefetching) competes with it. A message
 * posted from a requestAnimationFrame callback is handled after that frame's paint. rAF stops
 * in a hidden window, so a timer stands in after `fallbackMs`.
 */
export type AfterPaint = (work: () => void) => void;

export function afterNextPaint(work: () => void, fallbackMs = 100): void {
  let done = false;
  const once = (): void => {
    if (!done) {
      done = true;
      clearTimeout(timer);
      work();
    }
  };
  const timer = setTimeout(once, fallbackMs);
  if (typeof requestAnimationFrame === 'function' && typeof MessageChannel === 'function') {
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        once();
      };
      channel.port2.postMessage(null);
    });
  }
}
