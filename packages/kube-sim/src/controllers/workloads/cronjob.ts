/**
 * The CronJob controller: on the sim clock, creates a Job `<cronjob>-<scheduled minutes
 * since epoch>` for the latest missed schedule (honouring suspend, startingDeadlineSeconds
 * and concurrencyPolicy Allow / Forbid / Replace), tracks active Jobs, lastScheduleTime and
 * lastSuccessfulTime, and prunes finished Jobs past the history limits.
 */
import type { ClusterApi, KObject } from '../../api/types.ts';
import type { SimClock } from '../../clock/clock.ts';
import { mostRecentRun, nextRun, parseCron, type CronSchedule } from './cron.ts';
import { isJobFinished } from './job.ts';
import { COMPONENT, controllerUser, R } from './kinds.ts';
import {
  at,
  conditionOf,
  controllerRef,
  errorMessage,
  isControlledBy,
  keyOf,
  ownerKeys,
  splitKey,
  writeStatus,
} from './objects.ts';
import type { Reconciler } from './runtime.ts';

const USER = controllerUser('cronjob-controller');
const SCHEDULED = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function cronJobController(api: ClusterApi, clock: SimClock): Reconciler {
  const event = (cj: KObject, type: 'Normal' | 'Warning', reason: string, message: string) =>
    api.recordEvent(cj, type, reason, message, { component: COMPONENT.cronJob });
  const parsed = new Map<string, CronSchedule | Error>();
  /**
   * Sim time at which each CronJob was first seen. creationTimestamp is wall time, while the
   * sim clock runs ahead at --speed N; counting missed runs from it would fire a run at once.
   */
  const firstSeen = new Map<string, number>();

  function schedule(text: string): CronSchedule | Error {
    let s = parsed.get(text);
    if (!s) {
      try {
        s = parseCron(text.replace(/^(CRON_)?TZ=\S+\s+/, ''));
      } catch (error) {
        s = error instanceof Error ? error : new Error(String(error));
      }
      parsed.set(text, s);
    }
    return s;
  }

  function reconcile(key: string): number | void {
    const [ns, name] = splitKey(key);
    const cj = api.get(R.cronJobs, ns, name);
    if (!cj || cj.metadata.deletionTimestamp) return;
    const now = clock.now();
    const jobs = api.list(R.jobs, ns).filter((j) => isControlledBy(j, cj));
    let active = jobs.filter((j) => !isJobFinished(j));
    const status = { ...((cj.status ?? {}) as Record<string, unknown>) };

    // Completed jobs: remember the last success, record it once, prune history.
    for (const job of jobs.filter(isJobFinished)) {
      const complete = conditionOf(job, 'Complete')?.status === 'True';
      const done =
        at<string>(job, 'status', 'completionTime') ??
        conditionOf(job, complete ? 'Complete' : 'Failed')?.lastTransitionTime;
      if (
        complete &&
        done &&
        (!status.lastSuccessfulTime || done > (status.lastSuccessfulTime as string))
      ) {
        status.lastSuccessfulTime = done;
        event(
          cj,
          'Normal',
          'SawCompletedJob',
          `Saw completed job: ${job.metadata.name}, condition: Complete`,
        );
      }
    }
    prune(
      cj,
      jobs.filter((j) => conditionOf(j, 'Complete')?.status === 'True'),
      at<number>(cj, 'spec', 'successfulJobsHistoryLimit') ?? 3,
    );
    prune(
      cj,
      jobs.filter((j) => conditionOf(j, 'Failed')?.status === 'True'),
      at<number>(cj, 'spec', 'failedJobsHistoryLimit') ?? 1,
    );

    const sched = schedule(at<string>(cj, 'spec', 'schedule') ?? '');
    if (sched instanceof Error) {
      event(
        cj,
        'Warning',
        'UnparseableSchedule',
        `unparseable schedule: "${at<string>(cj, 'spec', 'schedule')}" : ${sched.message}`,
      );
      return finishStatus(cj, status, active);
    }
    if (!firstSeen.has(cj.metadata.uid!)) firstSeen.set(cj.metadata.uid!, now);
    const created = Math.max(
      Date.parse(cj.metadata.creationTimestamp ?? '') || 0,
      firstSeen.get(cj.metadata.uid!)!,
    );
    const since = status.lastScheduleTime ? Date.parse(status.lastScheduleTime as string) : created;
    const { time } = mostRecentRun(sched, since, now);
    const nextAt = nextRun(sched, Math.max(now, time ?? 0));
    const requeue = nextAt === undefined ? undefined : nextAt - now + 1;

    if (time === undefined || at<boolean>(cj, 'spec', 'suspend')) {
      finishStatus(cj, status, active);
      return requeue;
    }
    const deadline = at<number>(cj, 'spec', 'startingDeadlineSeconds');
    if (deadline !== undefined && now - time > deadline * 1000) {
      event(cj, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${iso(time)}`);
      status.lastScheduleTime = iso(time);
      finishStatus(cj, status, active);
      return requeue;
    }
    const policy = at<string>(cj, 'spec', 'concurrencyPolicy') ?? 'Allow';
    if (policy === 'Forbid' && active.length > 0) {
      // Try again when the active job ends (its change wakes us) or at the next schedule.
      finishStatus(cj, status, active);
      return requeue;
    }
    if (policy === 'Replace') {
      for (const job of active) {
        api.delete(R.jobs, ns, job.metadata.name!, { user: USER, propagationPolicy: 'Background' });
        event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata.name}`);
      }
      active = [];
    }
    const jobName = `${name}-${Math.floor(time / 60_000)}`;
    if (!api.get(R.jobs, ns, jobName)) {
      const template =
        at<{
          metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
          spec?: unknown;
        }>(cj, 'spec', 'jobTemplate') ?? {};
      try {
        const job = api.create(
          R.jobs,
          {
            apiVersion: 'batch/v1',
            kind: 'Job',
            metadata: {
              name: jobName,
              namespace: ns,
              labels: { ...template.metadata?.labels },
              annotations: { ...template.metadata?.annotations, [SCHEDULED]: iso(time) },
              ownerReferences: [controllerRef(cj)],
            },
            spec: structuredClone(template.spec ?? {}),
          },
          { user: USER },
        );
        active.push(job);
        event(cj, 'Normal', 'SuccessfulCreate', `Created job ${jobName}`);
      } catch (error) {
        event(cj, 'Warning', 'FailedCreate', `Error creating job: ${errorMessage(error)}`);
        finishStatus(cj, status, active);
        return 10_000;
      }
    }
    status.lastScheduleTime = iso(time);
    finishStatus(cj, status, active);
    return requeue;
  }

  function finishStatus(
    cj: KObject,
    status: Record<string, unknown>,
    active: KObject[],
  ): undefined {
    const refs = active.map((j) => ({
      apiVersion: 'batch/v1',
      kind: 'Job',
      name: j.metadata.name,
      namespace: j.metadata.namespace,
      uid: j.metadata.uid,
      resourceVersion: j.metadata.resourceVersion,
    }));
    const fresh = api.get(R.cronJobs, cj.metadata.namespace, cj.metadata.name!);
    if (fresh)
      writeStatus(
        api,
        R.cronJobs,
        fresh,
        { ...status, active: refs.length > 0 ? refs : undefined },
        USER,
      );
    return undefined;
  }

  function prune(cj: KObject, finished: KObject[], limit: number): void {
    const byStart = [...finished].sort((a, b) =>
      (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''),
    );
    for (const job of byStart.slice(0, Math.max(0, byStart.length - limit))) {
      api.delete(R.jobs, job.metadata.namespace, job.metadata.name!, {
        user: USER,
        propagationPolicy: 'Background',
      });
      event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata.name}`);
    }
  }

  return {
    name: 'cronjob-controller',
    resyncMs: 10_000,
    allKeys: () => api.list(R.cronJobs, undefined).map(keyOf),
    triggers: [
      { resource: R.cronJobs, keys: (cj) => [keyOf(cj)] },
      { resource: R.jobs, keys: (job) => ownerKeys(job, 'CronJob') },
    ],
    reconcile,
  };
}
