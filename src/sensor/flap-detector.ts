/**
 * Whether a sensor's change between working and failing deserves a log line. A loose connector
 * flips a sensor every read; logging each change is ~24 lines a minute per sensor at the 5 s
 * interval, for as long as nobody fixes it — on an SD card. More than FLAP_CHANGES changes within
 * the window is reported once as flapping; changes are then quiet until a whole window passes
 * without one. Pure: the clock is the `now` passed in.
 */

/** Changes within the window that make a sensor flapping. */
export const FLAP_CHANGES = 4;

export type FlapVerdict = 'log' | 'started-flapping' | 'quiet';

export class FlapDetector {
  /** Times of the recent changes, oldest first, none older than the window. */
  #changes: number[] = [];
  #flapping = false;

  constructor(private readonly windowMs: number) {}

  get flapping(): boolean {
    return this.#flapping;
  }

  /** A change at `now`: log it, report the start of flapping, or say nothing. */
  onChange(now: number): FlapVerdict {
    this.#changes = [...this.#changes.filter((t) => now - t < this.windowMs), now];
    if (this.#flapping) return 'quiet';
    if (this.#changes.length > FLAP_CHANGES) {
      this.#flapping = true;
      return 'started-flapping';
    }
    return 'log';
  }

  /** A read without a change at `now`; true once when a flapping sensor has been steady a whole window. */
  settled(now: number): boolean {
    const last = this.#changes.at(-1);
    if (!this.#flapping || (last !== undefined && now - last < this.windowMs)) return false;
    this.#flapping = false;
    this.#changes = [];
    return true;
  }
}
