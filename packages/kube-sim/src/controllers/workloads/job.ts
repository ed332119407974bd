/**
 * The Job controller: runs pods until `completions` succeeded (at most `parallelism` at a
 * time), counts failures (failed pods for restartPolicy Never, container restarts for
 * OnFailure) against backoffLimit with the exponential back-off of the real controller
 * (10 s doubling, capped at 6 min), and ends with Complete or Failed (BackoffLimitExceeded,
 * DeadlineExceeded) plus the SuccessCriteriaMet / FailureTarget conditions of Kubernetes ≥ 1.31.
 */
import type { ClusterApi, KObject } from '../../api/types.ts';
import type { SimClock } from '../../clock/clock.ts';
import { COMPONENT, controllerUser, R } from './kinds.ts';
import {
  at,
  conditionOf,
  errorMessage,
  isControlledBy,
  isPodActive,
  isPodReady,
  keyOf,
  ownerKeys,
  podFromTemplate,
  podPhase,
  randomSuffix,
  splitKey,
  writeStatus,
} from './objects.ts';
import type { Reconciler } from './runtime.ts';

const USER = controllerUser('job-controller');
const BACKOFF_BASE_MS = 10_000;
const BACKOFF_MAX_MS = 360_000;

export function backoffDelayMs(failures: number): number {
  if (failures <= 0) return 0;
  return Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (failures - 1));
}

export function isJobFinished(job: KObject): boolean {
  return ['Complete', 'Failed'].some((type) => conditionOf(job, type)?.status === 'True');
}

export function jobController(api: ClusterApi, clock: SimClock): Reconciler {
  const event = (job: KObject, type: 'Normal' | 'Warning', reason: string, message: string) =>
    api.recordEvent(job, type, reason, message, { component: COMPONENT.job });

  function reconcile(key: string): number | void {
    const [ns, name] = splitKey(key);
    const job = api.get(R.jobs, ns, name);
    if (!job || job.metadata.deletionTimestamp || isJobFinished(job)) return;
    const now = clock.now();
    const nowIso = clock.nowIso();
    const status = { ...((job.status ?? {}) as Record<string, unknown>) };
    if (at<boolean>(job, 'spec', 'suspend')) return;
    if (!status.startTime) status.startTime = nowIso;

    const pods = api.list(R.pods, ns).filter((p) => isControlledBy(p, job));
    const active = pods.filter(isPodActive);
    const succeeded = pods.filter((p) => podPhase(p) === 'Succeeded').length;
    const failedPods = pods.filter((p) => podPhase(p) === 'Failed');
    const onFailure = at<string>(job, 'spec', 'template', 'spec', 'restartPolicy') === 'OnFailure';
    const restarts = onFailure
      ? active.reduce(
          (s, p) =>
            s +
            (at<{ restartCount?: number }[]>(p, 'status', 'containerStatuses') ?? []).reduce(
              (r, c) => r + (c.restartCount ?? 0),
              0,
            ),
          0,
        )
      : 0;
    const failures = failedPods.length + restarts;
    const completions = at<number>(job, 'spec', 'completions');
    const parallelism = at<number>(job, 'spec', 'parallelism') ?? 1;
    const backoffLimit = at<number>(job, 'spec', 'backoffLimit') ?? 6;
    const deadline = at<number>(job, 'spec', 'activeDeadlineSeconds');

    const finish = (type: 'Complete' | 'Failed', reason: string, message: string) => {
      for (const pod of active) api.delete(R.pods, ns, pod.metadata.name!, { user: USER });
      const interim =
        type === 'Complete'
          ? {
              type: 'SuccessCriteriaMet',
              status: 'True',
              reason: 'CompletionsReached',
              message: 'Reached expected number of succeeded pods',
            }
          : { type: 'FailureTarget', status: 'True', reason, message };
      const final =
        type === 'Complete'
          ? {
              type,
              status: 'True',
              reason: 'CompletionsReached',
              message: 'Reached expected number of succeeded pods',
            }
          : { type, status: 'True', reason, message };
      const stamp = { lastProbeTime: nowIso, lastTransitionTime: nowIso };
      writeStatus(
        api,
        R.jobs,
        job,
        {
          ...status,
          active: undefined,
          ready: 0,
          terminating: 0,
          succeeded: succeeded || undefined,
          failed: failedPods.length || (restarts > 0 ? restarts : undefined),
          ...(type === 'Complete' ? { completionTime: nowIso } : {}),
          conditions: [
            ...((status.conditions as object[] | undefined) ?? []),
            { ...interim, ...stamp },
            { ...final, ...stamp },
          ],
          uncountedTerminatedPods: {},
        },
        USER,
      );
      if (type === 'Complete') event(job, 'Normal', 'Completed', 'Job completed');
      else event(job, 'Warning', reason, message);
    };

    const wantedTotal = completions ?? 1;
    // Without completions, the first success (and no pod still running) completes the Job.
    if (
      (completions !== undefined && succeeded >= completions) ||
      (completions === undefined && succeeded > 0 && active.length === 0)
    ) {
      finish('Complete', '', '');
      return;
    }
    if (failures > backoffLimit) {
      finish('Failed', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit');
      return;
    }
    const startedMs = Date.parse(status.startTime as string);
    if (deadline !== undefined && now - startedMs >= deadline * 1000) {
      finish('Failed', 'DeadlineExceeded', 'Job was active longer than specified deadline');
      return;
    }

    let requeue: number | undefined =
      deadline !== undefined ? startedMs + deadline * 1000 - now + 1 : undefined;
    const want = Math.max(
      0,
      Math.min(
        parallelism,
        completions === undefined ? (succeeded > 0 ? 0 : parallelism) : wantedTotal - succeeded,
      ),
    );
    let running = active.length;
    if (running < want) {
      // Back off after failures: the next pod waits 10 s × 2^(failures-1) since the last failure.
      const lastFailure = Math.max(
        0,
        ...failedPods.map(
          (p) => Date.parse(p.metadata.deletionTimestamp ?? podFinishedAt(p) ?? '') || 0,
        ),
      );
      const wait =
        failedPods.length > 0 ? lastFailure + backoffDelayMs(failedPods.length) - now : 0;
      if (wait > 0) requeue = Math.min(requeue ?? Infinity, wait + 1);
      else {
        for (; running < want; running++) {
          const pod = podFromTemplate(
            at(job, 'spec', 'template'),
            job,
            `${name}-${randomSuffix()}`,
            `${name}-`,
            {
              labels: {
                'batch.kubernetes.io/controller-uid': job.metadata.uid!,
                'batch.kubernetes.io/job-name': name,
                'controller-uid': job.metadata.uid!,
                'job-name': name,
              },
            },
          );
          try {
            const created = api.create(R.pods, pod, { user: USER });
            event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
          } catch (error) {
            event(job, 'Warning', 'FailedCreate', `Error creating: ${errorMessage(error)}`);
            requeue = Math.min(requeue ?? Infinity, 10_000);
            break;
          }
        }
      }
    }

    const live = api.list(R.pods, ns).filter((p) => isControlledBy(p, job) && isPodActive(p));
    writeStatus(
      api,
      R.jobs,
      job,
      {
        ...status,
        active: live.length || undefined,
        ready: live.filter(isPodReady).length,
        terminating: pods.filter(
          (p) =>
            p.metadata.deletionTimestamp && !['Succeeded', 'Failed'].includes(podPhase(p) ?? ''),
        ).length,
        succeeded: succeeded || undefined,
        failed: failures || undefined,
        uncountedTerminatedPods: {},
      },
      USER,
    );
    return requeue;
  }

  return {
    name: 'job-controller',
    resyncMs: 30_000,
    allKeys: () => api.list(R.jobs, undefined).map(keyOf),
    triggers: [
      { resource: R.jobs, keys: (job) => [keyOf(job)] },
      { resource: R.pods, keys: (pod) => ownerKeys(pod, 'Job') },
    ],
    reconcile,
  };
}

function podFinishedAt(pod: KObject): string | undefined {
  const statuses =
    at<{ state?: { terminated?: { finishedAt?: string } } }[]>(
      pod,
      'status',
      'containerStatuses',
    ) ?? [];
  return statuses.map((c) => c.state?.terminated?.finishedAt).find((t) => t !== undefined);
}
