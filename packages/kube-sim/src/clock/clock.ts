/**
 * The sim clock. Everything in the simulated cluster that waits (back-offs, probes,
 * startup delays, CronJob schedules, toleration seconds) waits on this clock, never on
 * Date.now()/setTimeout directly, so `--speed N` makes the whole cluster run N× faster.
 * Timestamps written into objects come from `nowIso()`, so they stay consistent with the
 * durations the cluster reports.
 */
export interface SimClock {
  readonly speed: number;
  /** Sim time in epoch milliseconds. */
  now(): number;
  nowIso(): string;
  /** Calls `fn` after `simMs` of sim time. Returns a cancel function. */
  after(simMs: number, fn: () => void): () => void;
  /** Calls `fn` every `simMs` of sim time. Returns a cancel function. */
  every(simMs: number, fn: () => void): () => void;
  /** Cancels every pending timer (used on shutdown). */
  stopAll(): void;
}

export function createClock(speed = 1, start = Date.now()): SimClock {
  if (!(speed > 0) || !Number.isFinite(speed)) {
    throw new Error(`--speed must be a positive number, got ${speed}`);
  }
  const realStart = Date.now();
  const timers = new Set<NodeJS.Timeout>();
  const now = () => start + (Date.now() - realStart) * speed;
  const track = (timer: NodeJS.Timeout) => {
    timer.unref();
    timers.add(timer);
    return () => {
      clearTimeout(timer);
      timers.delete(timer);
    };
  };
  return {
    speed,
    now,
    nowIso: () => new Date(now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    after(simMs, fn) {
      const timer: NodeJS.Timeout = setTimeout(
        () => {
          timers.delete(timer);
          fn();
        },
        Math.max(0, simMs / speed),
      );
      return track(timer);
    },
    every(simMs, fn) {
      return track(setInterval(fn, Math.max(1, simMs / speed)));
    },
    stopAll() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
