import { z } from 'zod';
import { isPodReady } from '../analyzers/helpers.ts';
import { HttpPath, Name, Namespace, Port, PortName } from '../validation.ts';
import { KubeApiError } from '../errors.ts';
import { quote } from '../redact.ts';
import type { CheckDefinition } from './types.ts';

const RolloutArgs = z.strictObject({
  namespace: Namespace,
  kind: z.enum(['Deployment', 'StatefulSet', 'DaemonSet']),
  name: Name,
});

export const RolloutComplete: CheckDefinition<z.infer<typeof RolloutArgs>> = {
  name: 'RolloutComplete',
  description: 'The workload runs its current template on every desired replica, all available.',
  schema: RolloutArgs,
  async evaluate(a, cluster) {
    const live = await cluster.get(a.kind, a.namespace, a.name);
    if (!live)
      return {
        passed: false,
        observed: { exists: false },
        message: `${a.kind} ${a.namespace}/${a.name} does not exist`,
      };
    const s = live.status ?? {};
    const generationSeen = (s.observedGeneration ?? 0) >= (live.metadata.generation ?? 0);
    if (a.kind === 'Deployment') {
      const desired = live.spec?.replicas ?? 1;
      const observed = {
        desired,
        updated: s.updatedReplicas ?? 0,
        available: s.availableReplicas ?? 0,
        total: s.replicas ?? 0,
        generationSeen,
      };
      const stalled = (s.conditions ?? []).find(
        (c: { type: string; reason?: string }) =>
          c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded',
      );
      const passed =
        generationSeen &&
        observed.updated === desired &&
        observed.available === desired &&
        observed.total === desired;
      const message = passed
        ? `rollout complete: ${desired}/${desired} updated and available`
        : stalled
          ? `rollout stalled: progress deadline exceeded (${observed.updated}/${desired} updated, ${observed.available} available)`
          : `rollout in progress: ${observed.updated}/${desired} updated, ${observed.available} available, ${observed.total} total`;
      return { passed, observed: { ...observed, stalled: Boolean(stalled) }, message };
    }
    if (a.kind === 'StatefulSet') {
      const desired = live.spec?.replicas ?? 1;
      const observed = {
        desired,
        ready: s.readyReplicas ?? 0,
        updated: s.updatedReplicas ?? 0,
        currentRevision: s.currentRevision,
        updateRevision: s.updateRevision,
        generationSeen,
      };
      const passed =
        generationSeen &&
        observed.ready === desired &&
        (observed.updateRevision === undefined ||
          observed.currentRevision === observed.updateRevision);
      return {
        passed,
        observed,
        message: passed
          ? `rollout complete: ${desired} ready`
          : `rollout in progress: ${observed.ready}/${desired} ready`,
      };
    }
    const desired = s.desiredNumberScheduled ?? 0;
    const observed = {
      desired,
      updated: s.updatedNumberScheduled ?? 0,
      available: s.numberAvailable ?? 0,
      generationSeen,
    };
    const passed = generationSeen && observed.updated === desired && observed.available === desired;
    return {
      passed,
      observed,
      message: passed
        ? `rollout complete on ${desired} nodes`
        : `rollout in progress: ${observed.updated}/${desired} updated, ${observed.available} available`,
    };
  },
};

const PodsArgs = z.strictObject({
  namespace: Namespace,
  selector: z
    .string()
    .min(1)
    .max(512)
    .regex(/^[A-Za-z0-9._/=,!() -]+$/, 'must be a label selector'),
  stableSeconds: z.number().int().min(0).max(3600).default(30),
});

export const PodsHealthy: CheckDefinition<z.infer<typeof PodsArgs>> = {
  name: 'PodsHealthy',
  description:
    'Every selected pod is running and ready, and no container restarted in the last N seconds.',
  schema: PodsArgs,
  async evaluate(a, cluster, now) {
    const pods = (await cluster.list('Pod', a.namespace, { labelSelector: a.selector })).filter(
      (p) => !p.metadata.deletionTimestamp,
    );
    const since = now.getTime() - a.stableSeconds * 1000;
    const unhealthy: string[] = [];
    for (const pod of pods) {
      const ready = isPodReady(pod);
      const recentRestart = (pod.status?.containerStatuses ?? []).some(
        (cs: { lastState?: { terminated?: { finishedAt?: string } } }) => {
          const at = cs.lastState?.terminated?.finishedAt;
          return at !== undefined && Date.parse(at) > since;
        },
      );
      if (pod.status?.phase !== 'Running' || !ready || recentRestart) {
        unhealthy.push(
          `${pod.metadata.name} (${pod.status?.phase ?? 'Unknown'}${ready ? '' : ', not ready'}${recentRestart ? ', restarted recently' : ''})`,
        );
      }
    }
    const passed = pods.length > 0 && unhealthy.length === 0;
    return {
      passed,
      observed: { pods: pods.length, unhealthy },
      message:
        pods.length === 0
          ? `no pods match ${a.selector}`
          : passed
            ? `${pods.length} pod(s) running, ready and stable`
            : `unhealthy: ${unhealthy.join(', ')}`,
    };
  },
};

const EventsArgs = z.strictObject({
  namespace: Namespace,
  kind: z.string().regex(/^[A-Z][A-Za-z]{1,62}$/),
  name: Name,
  since: z.iso.datetime(),
});

export const NoNewWarningEvents: CheckDefinition<z.infer<typeof EventsArgs>> = {
  name: 'NoNewWarningEvents',
  description: 'No Warning event about the object since the given time.',
  schema: EventsArgs,
  async evaluate(a, cluster) {
    const events = await cluster.list('Event', a.namespace, {
      fieldSelector: `involvedObject.kind=${a.kind},involvedObject.name=${a.name}`,
    });
    const since = Date.parse(a.since);
    const fresh = events.filter(
      (e) =>
        e.type === 'Warning' &&
        Date.parse(String(e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp)) > since,
    );
    return {
      passed: fresh.length === 0,
      observed: {
        warnings: fresh.map((e) => `${String(e.reason)}: ${quote(String(e.message ?? ''), 160)}`),
      },
      message:
        fresh.length === 0
          ? 'no new warning events'
          : `${fresh.length} new warning event(s), first: ${String(fresh[0]!.reason)}`,
    };
  },
};

const ServiceArgs = z.strictObject({
  namespace: Namespace,
  service: Name,
  port: z.union([Port, PortName]),
  path: HttpPath.default('/'),
  status: z.number().int().min(100).max(599).default(200),
});

export const ServiceResponds: CheckDefinition<z.infer<typeof ServiceArgs>> = {
  name: 'ServiceResponds',
  description:
    "The service answers an HTTP GET, through the API server's service proxy, with the expected status.",
  schema: ServiceArgs,
  async evaluate(a, cluster) {
    const path = `/api/v1/namespaces/${a.namespace}/services/${a.service}:${a.port}/proxy${a.path}`;
    let status = 200;
    let body: string;
    try {
      body = await cluster.request<string>('GET', path, { text: true, accept: '*/*' });
    } catch (error) {
      if (!(error instanceof KubeApiError)) throw error;
      status = error.status;
      body = error.message;
    }
    return {
      passed: status === a.status,
      observed: { status, body: quote(body, 200) },
      message:
        status === a.status
          ? `service answered ${status}`
          : `service answered ${status}, expected ${a.status}`,
    };
  },
};
