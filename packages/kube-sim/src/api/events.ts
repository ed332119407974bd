/** core/v1 Events recorded by in-process components, aggregated like the kubelet's recorder. */
import { RESOURCES } from '../resources.ts';
import type { Cluster } from './cluster.ts';
import { nowTimestamp, randomSuffix } from './meta.ts';
import type { KObject, UserInfo } from './types.ts';

const EVENTS = RESOURCES.find((r) => r.group === '' && r.plural === 'events')!;
const RECORDER: UserInfo = {
  username: 'system:kube-sim:event-recorder',
  groups: ['system:masters'],
};

export class EventRecorder {
  private readonly cluster: Cluster;
  /** aggregation key → event name */
  private readonly names = new Map<string, string>();

  constructor(cluster: Cluster) {
    this.cluster = cluster;
  }

  record(
    involved: KObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    source: { component: string; host?: string },
  ): void {
    const namespace = involved.metadata.namespace ?? 'default';
    const key = [
      involved.metadata.uid,
      namespace,
      reason,
      message,
      source.component,
      source.host,
    ].join('\u0000');
    const now = nowTimestamp(this.cluster.now());
    const existingName = this.names.get(key);
    const existing = existingName ? this.cluster.get(EVENTS, namespace, existingName) : undefined;
    if (existing) {
      this.cluster.patch(
        EVENTS,
        namespace,
        existingName!,
        'merge',
        { count: ((existing['count'] as number) ?? 1) + 1, lastTimestamp: now },
        { user: RECORDER },
      );
      return;
    }
    const name = `${involved.metadata.name}.${randomSuffix(16)}`;
    this.names.set(key, name);
    const event: KObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: {
        apiVersion: involved.apiVersion,
        kind: involved.kind,
        name: involved.metadata.name,
        ...(involved.metadata.namespace ? { namespace: involved.metadata.namespace } : {}),
        uid: involved.metadata.uid,
        resourceVersion: involved.metadata.resourceVersion,
      },
      reason,
      message,
      type,
      source: { component: source.component, ...(source.host ? { host: source.host } : {}) },
      reportingComponent: source.component,
      reportingInstance: source.host ?? '',
      count: 1,
      firstTimestamp: now,
      lastTimestamp: now,
      eventTime: null,
    };
    try {
      this.cluster.create(EVENTS, event, { user: RECORDER });
    } catch {
      // The namespace is terminating or gone: real recorders drop such events too.
    }
  }
}
