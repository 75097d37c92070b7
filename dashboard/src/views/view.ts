import type { AppState } from '../state.js';

export interface ViewContext {
  state: AppState;
  /** Aborted when a newer refresh starts, the view is left, or the request deadline passes. */
  signal: AbortSignal;
  /** Changes part of the state (and so the URL). */
  navigate(patch: Partial<AppState>): void;
}

/** What a refresh brought. */
export interface RefreshResult {
  /** The view's own data came: what it shows is current. */
  fresh: boolean;
  /** Why not, or what is missing even so (VictoriaMetrics down while readings come). */
  reason?: string;
  /** Firing alerts, when the view read them (for the page title). */
  firing?: number;
}

/** A view fetches only what it shows, on each refresh, and updates its elements in place. */
export interface View {
  readonly root: HTMLElement;
  readonly title: string;
  /**
   * Fetches and redraws. Shows failures in the page and keeps the last values; rejects only when
   * aborted (a newer refresh, or the deadline).
   */
  update(ctx: ViewContext): Promise<RefreshResult>;
  /** `text`: the view's data is not current (why, how old); undefined: it is again. */
  markStale?(text: string | undefined): void;
  destroy(): void;
}
