import type { ReviewerApi } from '../shared/ipc/contract';

declare global {
  interface Window {
    /** Exposed by the preload (or the browser test bridge); the renderer's only way to main. */
    readonly reviewer: ReviewerApi;
  }
}
