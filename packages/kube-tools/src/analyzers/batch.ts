import { quote } from '../redact.ts';
import type { KubeObject } from '../types.ts';
import { envSource, missingEnvNames } from './env-source.ts';
import { conditionOf, logEvidence } from './helpers.ts';
import type { Snapshot } from './snapshot.ts';
import type { Analyzer, Finding, Remediation } from './types.ts';
import { objectOf } from './types.ts';

const MACROS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];
const RANGES: [number, number][] = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 7],
];
const NAMES = [
  /^$/,
  /^$/,
  /^$/,
  /^(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)$/i,
  /^(sun|mon|tue|wed|thu|fri|sat)$/i,
];

/** Validate a standard 5-field cron expression (with ranges, steps, lists, names, macros). */
export function cronProblem(schedule: string): string | undefined {
  const text = schedule.replace(/^(CRON_TZ|TZ)=\S+\s+/, '').trim();
  if (MACROS.includes(text)) return undefined;
  const fields = text.split(/\s+/);
  if (fields.length !== 5) return `has ${fields.length} fields, a cron schedule needs 5`;
  for (let i = 0; i < 5; i += 1) {
    const [lo, hi] = RANGES[i]!;
    for (const part of fields[i]!.split(',')) {
      const [range, step] = part.split('/');
      if (step !== undefined && !/^[1-9][0-9]*$/.test(step))
        return `field ${i + 1} ("${fields[i]}") has a bad step`;
      if (range === '*' || range === '?') continue;
      for (const bound of range!.split('-')) {
        if (NAMES[i]!.test(bound)) continue;
        if (!/^[0-9]+$/.test(bound) || Number(bound) < lo || Number(bound) > hi)
          return `field ${i + 1} ("${fields[i]}") is outside ${lo}-${hi}`;
      }
    }
  }
  return undefined;
}

const DAY = 24 * 3600 * 1000;

function podsOfJob(s: Snapshot, job: KubeObject): KubeObject[] {
  return s.pods.filter((p) =>
    p.metadata.ownerReferences?.some(
      (o) => o.uid === job.metadata.uid || (o.kind === 'Job' && o.name === job.metadata.name),
    ),
  );
}

/**
 * A failed Job whose pods' logs say a variable is missing, where exactly one ConfigMap or
 * Secret in the namespace has a key of that name: re-run it (its template cannot change)
 * with the variable referenced from there. Every missing variable must be found, or the
 * re-run would only fail again; a Job a CronJob made is left alone (the CronJob's template
 * would make the next run fail the same way).
 */
export function jobEnvRerun(s: Snapshot, job: KubeObject): Remediation[] {
  if (conditionOf(job, 'Failed')?.status !== 'True') return [];
  if (job.metadata.ownerReferences?.some((o) => o.kind === 'CronJob')) return [];
  const containers = (job.spec?.template?.spec?.containers ?? []) as {
    name: string;
    env?: { name: string }[];
  }[];
  const missing = new Map<string, Set<string>>();
  for (const pod of podsOfJob(s, job)) {
    for (const c of containers) {
      const names = missingEnvNames(s.logs[`${pod.metadata.name}/${c.name}`] ?? '').filter(
        (n) => !(c.env ?? []).some((e) => e.name === n),
      );
      if (names.length) missing.set(c.name, new Set([...(missing.get(c.name) ?? []), ...names]));
    }
  }
  if (missing.size !== 1) return [];
  const [container, names] = [...missing][0]!;
  const found = [...names].map((name) => ({ name, source: envSource(s, name) }));
  if (found.some((f) => f.source === undefined)) return [];
  return [
    {
      action: 'RecreateJob',
      args: {
        namespace: job.metadata.namespace,
        name: job.metadata.name,
        env: {
          container,
          set: found.map((f) => ({ name: f.name, valueFrom: f.source!.valueFrom })),
        },
      },
      confidence: 0.65,
      reasoning:
        `the Job's pods exit because ${found.map((f) => f.name).join(', ')} ${found.length > 1 ? 'are' : 'is'} not set, and ${found.map((f) => `${f.source!.source} has the key ${f.name}`).join(', ')} (key names compared, no value read); ` +
        `a Job's pod template cannot be changed, so it is re-run with ${found.length > 1 ? 'them' : 'it'} referenced in container ${container}. The failed Job and its pods are deleted (their logs with them).`,
    },
  ];
}

/**
 * The URL a failed Job's container requested that its log says answered 404: the one
 * http(s) URL in its command whose host is a Service of the namespace. Only the status is
 * read from the (untrusted) log; the URL is the Job's own spec.
 */
function notFoundUrl(s: Snapshot, job: KubeObject, pod: string, container: string) {
  const log = s.logs[`${pod}/${container}`] ?? '';
  if (!/(error|status|returned|response)[^\n]{0,40}\b404\b|\b404 not found/i.test(log))
    return undefined;
  const spec = (
    (job.spec?.template?.spec?.containers ?? []) as {
      name: string;
      command?: string[];
      args?: string[];
    }[]
  ).find((c) => c.name === container);
  const urls = [...(spec?.command ?? []), ...(spec?.args ?? [])].flatMap((a) =>
    [
      ...a.matchAll(/\bhttps?:\/\/([a-z0-9][-a-z0-9]*)(?:\.[-a-z0-9.]*)?(?::\d+)?(\/[^\s'"]*)?/g),
    ].map((m) => ({ url: m[0], host: m[1]!, path: (m[2] ?? '/').split('?')[0]! })),
  );
  const onService = urls.filter((u) => s.services.some((x) => x.metadata.name === u.host));
  return onService.length === 1 ? onService[0] : undefined;
}

export const jobAnalyzer: Analyzer = {
  name: 'job',
  codes: ['JOB_FAILED'],
  analyze(s) {
    const findings: Finding[] = [];
    for (const job of s.jobs) {
      const failed = conditionOf(job, 'Failed');
      if (failed?.status !== 'True') continue;
      const ownedByCron = job.metadata.ownerReferences?.some((o) => o.kind === 'CronJob');
      const pods = podsOfJob(s, job);
      const remediations = jobEnvRerun(s, job);
      const terminated = pods
        .flatMap((p) =>
          (p.status?.containerStatuses ?? []).map(
            (cs: {
              name: string;
              state?: { terminated?: { exitCode?: number; reason?: string } };
            }) => ({ pod: p.metadata.name, cs }),
          ),
        )
        .find((x) => x.cs.state?.terminated);
      const missing = terminated
        ? notFoundUrl(s, job, terminated.pod, terminated.cs.name)
        : undefined;
      findings.push({
        code: 'JOB_FAILED',
        severity: ownedByCron ? 'warning' : 'critical',
        object: objectOf(job, 'Job'),
        evidence: [
          `condition Failed reason ${String(failed.reason)}: ${quote(String(failed.message ?? ''))}`,
          `failed pods ${job.status?.failed ?? 0}, backoffLimit ${job.spec?.backoffLimit ?? 6}`,
          ...(terminated
            ? [
                `pod ${terminated.pod} container ${terminated.cs.name} exit code ${terminated.cs.state?.terminated?.exitCode}, reason ${terminated.cs.state?.terminated?.reason}`,
              ]
            : []),
          ...(terminated ? logEvidence(s, terminated.pod, terminated.cs.name) : []),
        ],
        explanation:
          `Job ${job.metadata.name} failed (${String(failed.reason)}); its pods exited with errors until the retry limit was reached` +
          (missing
            ? `: it requests ${quote(missing.path)} on Service ${missing.host}, which answers 404 (no such path).`
            : '.'),
        remediations,
        ...(remediations.length
          ? {}
          : {
              humanAction: missing
                ? `Service ${missing.host} has no ${quote(missing.path)}, and nothing in the cluster shows the path it serves: correct the URL in the Job's command, then replace the Job (a Job's pod template cannot change): kubectl -n ${s.namespace} get job ${job.metadata.name} -o yaml > job.yaml, fix the path, drop status and the generated selector and labels, kubectl replace --force -f job.yaml.`
                : `Fix the cause shown in the log tail, then re-run the Job (RecreateJob)${ownedByCron ? ', or let the CronJob start its next run' : ''}. Re-running before the cause is fixed only fails again.`,
            }),
      });
    }
    return findings;
  },
};

export const cronJobAnalyzer: Analyzer = {
  name: 'cronjob',
  codes: ['CRONJOB_BAD_SCHEDULE', 'CRONJOB_SUSPENDED', 'CRONJOB_DEADLINE_TOO_SHORT'],
  analyze(s) {
    const findings: Finding[] = [];
    const now = Date.parse(s.takenAt);
    for (const cj of s.cronJobs) {
      const problem = cronProblem(String(cj.spec?.schedule ?? ''));
      if (problem) {
        findings.push({
          code: 'CRONJOB_BAD_SCHEDULE',
          severity: 'critical',
          object: objectOf(cj, 'CronJob'),
          evidence: [`schedule: ${quote(String(cj.spec?.schedule ?? ''))}: ${problem}`],
          explanation: 'The CronJob schedule is not a valid cron expression, so it never runs.',
          remediations: [],
          humanAction: 'Give the intended schedule as a 5-field cron expression.',
        });
      }
      if (cj.spec?.suspend === true) {
        const last = Date.parse(
          String(cj.status?.lastScheduleTime ?? cj.metadata.creationTimestamp ?? ''),
        );
        const days = Number.isFinite(last) ? Math.floor((now - last) / DAY) : undefined;
        findings.push({
          code: 'CRONJOB_SUSPENDED',
          severity: 'info',
          object: objectOf(cj, 'CronJob'),
          evidence: [
            'spec.suspend: true',
            `last scheduled: ${String(cj.status?.lastScheduleTime ?? 'never')}${days !== undefined ? ` (${days} day(s) ago)` : ''}`,
          ],
          explanation: 'The CronJob is suspended and starts no Jobs. That may be deliberate.',
          remediations: [
            {
              action: 'ResumeCronJob',
              args: { namespace: s.namespace, name: cj.metadata.name },
              confidence: 0.3,
              reasoning: 'resume only if the suspension is no longer wanted',
            },
          ],
        });
      }
      const deadline = cj.spec?.startingDeadlineSeconds;
      if (typeof deadline === 'number' && deadline < 10) {
        findings.push({
          code: 'CRONJOB_DEADLINE_TOO_SHORT',
          severity: 'warning',
          object: objectOf(cj, 'CronJob'),
          evidence: [`startingDeadlineSeconds: ${deadline}`],
          explanation:
            'A starting deadline under 10 s makes the controller skip runs it could not start instantly.',
          remediations: [],
          humanAction:
            'Set startingDeadlineSeconds to the delay a missed run may still start within.',
        });
      }
    }
    return findings;
  },
};

export function isFinishedJob(job: KubeObject): boolean {
  return ['Complete', 'Failed'].some((t) => conditionOf(job, t)?.status === 'True');
}
