/** core/v1 kinds other than Pod. */
import { kindDef } from './kinds.ts';
import type { Definition } from './model.ts';
import { ATOMIC, byKey } from './model.ts';

const CORE = 'io.k8s.api.core.v1';
const v1 = (kind: string) => ({ group: '', version: 'v1', kind });
const status = (what: string) =>
  ['object', `Most recently observed status of the ${what}. Read-only.`] as [string, string];

export const coreDefs: Record<string, Definition> = {
  Pod: kindDef(
    `${CORE}.Pod`,
    v1('Pod'),
    'A group of containers scheduled together onto one node.',
    {
      spec: ['@PodSpec', 'Desired behaviour of the pod.'],
      status: status('pod'),
    },
  ),
  Service: kindDef(
    `${CORE}.Service`,
    v1('Service'),
    'A stable virtual IP and DNS name in front of a set of pods.',
    {
      spec: ['@ServiceSpec', 'Desired behaviour of the service.'],
      status: status('service'),
    },
  ),
  ServiceSpec: {
    name: `${CORE}.ServiceSpec`,
    description: 'How a service is exposed and which pods receive its traffic.',
    fields: {
      allocateLoadBalancerNodePorts: [
        'boolean',
        'Whether node ports are allocated for a LoadBalancer service.',
      ],
      clusterIP: [
        'string',
        'The virtual IP; "None" makes a headless service. Set by the server if empty.',
      ],
      clusterIPs: ['[]string', 'Virtual IPs, one per IP family.', ATOMIC],
      externalIPs: ['[]string', 'Extra IPs on which nodes accept traffic for the service.', ATOMIC],
      externalName: ['string', 'DNS name returned for type ExternalName.'],
      externalTrafficPolicy: ['string', 'Cluster (default) or Local routing of external traffic.'],
      healthCheckNodePort: ['int32', 'Node port of the health check for Local traffic policy.'],
      internalTrafficPolicy: [
        'string',
        'Cluster (default) or Local routing of in-cluster traffic.',
      ],
      ipFamilies: ['[]string', 'IPv4 and/or IPv6.', ATOMIC],
      ipFamilyPolicy: ['string', 'SingleStack, PreferDualStack or RequireDualStack.'],
      loadBalancerClass: ['string', 'Which load balancer implementation serves the service.'],
      loadBalancerIP: ['string', 'Deprecated: requested load balancer IP.'],
      loadBalancerSourceRanges: [
        '[]string',
        'Client CIDRs allowed through the load balancer.',
        ATOMIC,
      ],
      ports: ['[]@ServicePort', 'Ports the service exposes.', byKey('port', ['port', 'protocol'])],
      publishNotReadyAddresses: ['boolean', 'Publish endpoints of pods that are not ready.'],
      selector: ['map[string]', 'Pods with these labels receive the traffic.'],
      sessionAffinity: ['string', 'ClientIP or None (default).'],
      sessionAffinityConfig: ['object', 'Settings of the session affinity.'],
      trafficDistribution: ['string', 'Preference for how traffic is spread, such as PreferClose.'],
      type: ['string', 'ClusterIP (default), NodePort, LoadBalancer or ExternalName.'],
    },
  },
  ServicePort: {
    name: `${CORE}.ServicePort`,
    description: 'One port of a service.',
    required: ['port'],
    fields: {
      appProtocol: ['string', 'Application protocol of the port.'],
      name: ['string', 'Name of the port; required when there are several.'],
      nodePort: ['int32', 'Port on every node for NodePort and LoadBalancer services.'],
      port: ['int32', 'Port the service listens on.'],
      protocol: ['string', 'TCP (default), UDP or SCTP.'],
      targetPort: ['@IntOrString', 'Port number or name on the pods. Defaults to port.'],
    },
  },
  ConfigMap: kindDef(
    `${CORE}.ConfigMap`,
    v1('ConfigMap'),
    'Non-secret configuration data for pods.',
    {
      binaryData: ['map[string]', 'Binary values, base64 encoded.'],
      data: ['map[string]', 'Configuration values.'],
      immutable: ['boolean', 'If true, data cannot be changed.'],
    },
  ),
  Secret: kindDef(
    `${CORE}.Secret`,
    v1('Secret'),
    'Sensitive data such as passwords, tokens or keys.',
    {
      data: ['map[string]', 'Secret values, base64 encoded.'],
      immutable: ['boolean', 'If true, data cannot be changed.'],
      stringData: ['map[string]', 'Write-only plain-text values merged into data.'],
      type: [
        'string',
        'Used to validate and handle the data, such as Opaque or kubernetes.io/tls.',
      ],
    },
  ),
  Namespace: kindDef(
    `${CORE}.Namespace`,
    v1('Namespace'),
    'A scope for names, policies and quotas.',
    {
      spec: ['@NamespaceSpec', 'Finalizers of the namespace.'],
      status: status('namespace'),
    },
  ),
  NamespaceSpec: {
    name: `${CORE}.NamespaceSpec`,
    description: 'The desired state of a namespace.',
    fields: { finalizers: ['[]string', 'Must be empty before the namespace is removed.', ATOMIC] },
  },
  ServiceAccount: kindDef(
    `${CORE}.ServiceAccount`,
    v1('ServiceAccount'),
    'An identity for processes that run in pods.',
    {
      automountServiceAccountToken: ['boolean', 'Whether pods get a token mounted by default.'],
      imagePullSecrets: [
        '[]@LocalObjectReference',
        'Secrets pods of this account use to pull images.',
        ATOMIC,
      ],
      secrets: ['[]object', 'Secrets pods of this account may use.', byKey('name')],
    },
  ),
  PersistentVolumeClaim: kindDef(
    `${CORE}.PersistentVolumeClaim`,
    v1('PersistentVolumeClaim'),
    "A user's request for storage.",
    { spec: ['@PersistentVolumeClaimSpec', 'Desired storage.'], status: status('claim') },
  ),
  PersistentVolumeClaimSpec: {
    name: `${CORE}.PersistentVolumeClaimSpec`,
    description: 'The storage a claim asks for.',
    fields: {
      accessModes: [
        '[]string',
        'ReadWriteOnce, ReadOnlyMany, ReadWriteMany or ReadWriteOncePod.',
        ATOMIC,
      ],
      dataSource: ['object', 'An object to populate the volume from.'],
      dataSourceRef: ['object', 'Like dataSource, also allowing objects in other namespaces.'],
      resources: ['@ResourceRequirements', 'Minimum (requests.storage) and maximum storage.'],
      selector: ['@LabelSelector', 'Labels of the volumes that may be bound.'],
      storageClassName: ['string', 'StorageClass used to provision the volume.'],
      volumeAttributesClassName: ['string', 'VolumeAttributesClass of the volume.'],
      volumeMode: ['string', 'Filesystem (default) or Block.'],
      volumeName: ['string', 'Name of the bound PersistentVolume.'],
    },
  },
  Node: kindDef(`${CORE}.Node`, v1('Node'), 'A worker machine of the cluster.', {
    spec: ['@NodeSpec', 'How the node is configured.'],
    status: status('node'),
  }),
  NodeSpec: {
    name: `${CORE}.NodeSpec`,
    description: 'Configuration of a node.',
    fields: {
      configSource: ['object', 'Deprecated dynamic kubelet configuration.'],
      externalID: ['string', 'Deprecated.'],
      podCIDR: ['string', 'Pod IP range assigned to the node.'],
      podCIDRs: [
        '[]string',
        'Pod IP ranges, one per IP family.',
        { listType: 'set', strategy: 'merge' },
      ],
      providerID: ['string', 'Cloud provider ID of the node.'],
      taints: ['[]@Taint', 'Taints that repel pods not tolerating them.', ATOMIC],
      unschedulable: ['boolean', 'If true no new pods are scheduled here (kubectl cordon).'],
    },
  },
  Taint: {
    name: `${CORE}.Taint`,
    description: 'Repels pods that do not tolerate it.',
    required: ['key', 'effect'],
    fields: {
      effect: ['string', 'NoSchedule, PreferNoSchedule or NoExecute.'],
      key: ['string', 'Taint key.'],
      timeAdded: ['time', 'When a NoExecute taint was added.'],
      value: ['string', 'Taint value.'],
    },
  },
  Event: kindDef(
    `${CORE}.Event`,
    v1('Event'),
    'A report of something that happened to an object.',
    {
      action: ['string', 'What was done (or failed).'],
      count: ['int32', 'How many times it occurred.'],
      eventTime: ['string', 'When it first occurred, with microseconds.'],
      firstTimestamp: ['time', 'When it was first recorded.'],
      involvedObject: ['object', 'The object the event is about.'],
      lastTimestamp: ['time', 'When it was last recorded.'],
      message: ['string', 'Human-readable description.'],
      reason: ['string', 'Short machine-readable reason, such as BackOff.'],
      related: ['object', 'A second object involved.'],
      reportingComponent: ['string', 'Controller that emitted the event.'],
      reportingInstance: ['string', 'Instance of that controller.'],
      series: ['object', 'Data about a series of repeated events.'],
      source: ['object', 'Component and host that reported it.'],
      type: ['string', 'Normal or Warning.'],
    },
  ),
  Endpoints: kindDef(
    `${CORE}.Endpoints`,
    v1('Endpoints'),
    'Addresses and ports that implement a service.',
    {},
    true,
  ),
  PersistentVolume: kindDef(
    `${CORE}.PersistentVolume`,
    v1('PersistentVolume'),
    'A piece of storage in the cluster.',
    {},
    true,
  ),
  ResourceQuota: kindDef(
    `${CORE}.ResourceQuota`,
    v1('ResourceQuota'),
    'Limits on the total resources of a namespace.',
    {},
    true,
  ),
  LimitRange: kindDef(
    `${CORE}.LimitRange`,
    v1('LimitRange'),
    'Default and bounding resources per object in a namespace.',
    {},
    true,
  ),
};
