import type { CheckSpec } from '@opsloop/contracts';
import { runCheck, type Cluster } from '@opsloop/kube-tools';
import { FALLBACK_TIMEOUT_MS } from './timeouts.ts';

export interface CheckPolicy {
  timeoutsMs: Record<string, number>;
  pollMs: number;
  stableWindowMs: number;
}

export interface CheckOutcome {
  passed: boolean;
  observed: Record<string, unknown>;
  message: string;
  /** Evaluations made (1 = decided on the first look). */
  evaluations: number;
  /** Failed for good (a rollout past its progress deadline): waiting longer cannot help. */
  final?: boolean;
}

/** Checks that must keep passing for the stable window once they pass (a snapshot proves little). */
const MUST_STAY_PASSING = new Set(['PodsHealthy', 'NoNewWarningEvents']);

/**
 * Evaluates one check until it passes (and, for the checks above, keeps passing for the
 * stable window), fails for good (a rollout whose progress deadline passed), or runs out of
 * its timeout; the last evaluation's observed values are the result. A check the cluster
 * cannot answer (timeout, API error) is a failed evaluation, retried like any other.
 *
 * `stop` ends the wait early (another check of the plan failed for good, so the verification
 * has failed whatever this one does): the check then fails with its last observation, unless
 * it had settled as passed.
 */
export async function evaluateUntilSettled(
  spec: CheckSpec,
  cluster: Cluster,
  policy: CheckPolicy,
  stop?: AbortSignal,
): Promise<CheckOutcome> {
  const timeoutMs = policy.timeoutsMs[spec.name] ?? FALLBACK_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  const window = MUST_STAY_PASSING.has(spec.name) ? policy.stableWindowMs : 0;
  let passingSince: number | null = null;
  for (let evaluations = 1; ; evaluations++) {
    const left = Math.max(100, deadline - Date.now());
    const result = await runCheck(spec, cluster, { timeoutMs: Math.min(left, 15_000) });
    const now = Date.now();
    if (result.passed) {
      passingSince ??= now;
      if (now - passingSince >= window) return { ...result, evaluations };
    } else {
      passingSince = null;
      if (result.observed.stalled === true) return { ...result, evaluations, final: true };
    }
    if (stop?.aborted) {
      const why = String(stop.reason ?? 'another check failed for good');
      const message = result.passed
        ? `${result.message}, but not yet for the ${window} ms stable window when ${why}`
        : `${result.message} (not settled when ${why})`;
      return { passed: false, observed: result.observed, message, evaluations };
    }
    if (now >= deadline) {
      const message = result.passed
        ? `${result.message}, but not yet for the ${window} ms stable window when the ${timeoutMs} ms timeout ran out`
        : `${result.message} (still after ${timeoutMs} ms)`;
      return { passed: false, observed: result.observed, message, evaluations };
    }
    const wait = Math.min(policy.pollMs, Math.max(0, deadline - now));
    await sleep(wait, stop);
  }
}

/** Waits `ms`, or less when `stop` fires first. */
function sleep(ms: number, stop: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      stop?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    stop?.addEventListener('abort', done, { once: true });
  });
}
