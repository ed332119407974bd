/**
 * How long each check may take to pass, by default. Generous enough for a real cluster
 * (a Deployment's own progress deadline is 600 s; image pulls and node scale-up take
 * minutes), while a check that has clearly failed ends early: RolloutComplete fails as soon
 * as the Deployment reports ProgressDeadlineExceeded (12 s of wall time on kube-sim at
 * speed 50). Override with --check-timeouts.
 */
export const DEFAULT_CHECK_TIMEOUTS_MS: Record<string, number> = {
  RolloutComplete: 660_000,
  EndpointsReady: 180_000,
  PodsHealthy: 300_000,
  NoNewWarningEvents: 60_000,
  ServiceResponds: 120_000,
  JobComplete: 900_000,
  PvcBound: 180_000,
  QuotaWithinLimits: 60_000,
  HpaActive: 300_000,
  NodeReady: 300_000,
};

/** For a check the table does not know (a newer catalog). */
export const FALLBACK_TIMEOUT_MS = 120_000;
