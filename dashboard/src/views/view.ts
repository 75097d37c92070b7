import type { AppState } from '../state.js';

export interface ViewContext {
  state: AppState;
  /** Aborted when a newer refresh starts or the view is left. */
  signal: AbortSignal;
  /** Changes part of the state (and so the URL). */
  navigate(patch: Partial<AppState>): void;
}

/** A view fetches only what it shows, on each refresh. */
export interface View {
  readonly root: HTMLElement;
  /** Fetches and redraws. Shows failures in the page; rejects only when aborted. */
  update(ctx: ViewContext): Promise<void>;
  destroy(): void;
}
