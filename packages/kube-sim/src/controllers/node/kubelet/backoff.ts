/**
 * The kubelet's per-container back-off (CrashLoopBackOff and ImagePullBackOff): 10 s,
 * doubling up to 5 min; a container that then ran for 10 min without failing starts over.
 */
export const INITIAL_BACKOFF_MS = 10_000;
export const MAX_BACKOFF_MS = 300_000;
export const BACKOFF_RESET_MS = 600_000;

export class Backoff {
  private delay = 0;

  /** Records a failure; `ranMs` is how long the attempt ran. Returns the delay before the next one. */
  next(ranMs = 0): number {
    if (ranMs >= BACKOFF_RESET_MS) this.delay = 0;
    this.delay = this.delay === 0 ? INITIAL_BACKOFF_MS : Math.min(this.delay * 2, MAX_BACKOFF_MS);
    return this.delay;
  }

  /** Forget the history (a container that ran long enough). */
  reset(): void {
    this.delay = 0;
  }

  get current(): number {
    return this.delay;
  }
}

/** "5m0s", "40s", "2m40s": Go's time.Duration formatting for whole seconds. */
export function goDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return `${m}m${s % 60}s`;
}
