/** Kinds of the other named API groups: networking, policy, autoscaling, rbac and the rest. */
import { kindDef } from './kinds.ts';
import type { Definition, Field } from './model.ts';
import { ATOMIC } from './model.ts';

const gvk = (group: string, version: string, kind: string) => ({ group, version, kind });
const status = (what: string): Field => [
  'object',
  `Most recently observed status of the ${what}. Read-only.`,
];
const NET = 'io.k8s.api.networking.v1';
const RBAC = 'io.k8s.api.rbac.v1';

export const apisDefs: Record<string, Definition> = {
  Ingress: kindDef(
    `${NET}.Ingress`,
    gvk('networking.k8s.io', 'v1', 'Ingress'),
    'HTTP routing from outside to services.',
    {
      spec: ['@IngressSpec', 'Desired routing.'],
      status: status('ingress'),
    },
  ),
  IngressSpec: {
    name: `${NET}.IngressSpec`,
    description: 'Routing rules of an ingress.',
    fields: {
      defaultBackend: ['object', 'Backend for requests matching no rule.'],
      ingressClassName: ['string', 'The IngressClass that implements this ingress.'],
      rules: ['[]object', 'Host and path rules.', ATOMIC],
      tls: ['[]object', 'TLS termination settings.', ATOMIC],
    },
  },
  IngressClass: kindDef(
    `${NET}.IngressClass`,
    gvk('networking.k8s.io', 'v1', 'IngressClass'),
    'An ingress implementation.',
    {},
    true,
  ),
  NetworkPolicy: kindDef(
    `${NET}.NetworkPolicy`,
    gvk('networking.k8s.io', 'v1', 'NetworkPolicy'),
    'Allowed traffic to and from pods.',
    {
      spec: ['@NetworkPolicySpec', 'Desired policy.'],
    },
  ),
  NetworkPolicySpec: {
    name: `${NET}.NetworkPolicySpec`,
    description: 'Which pods the policy isolates and what traffic it allows.',
    fields: {
      egress: ['[]object', 'Allowed outgoing traffic.', ATOMIC],
      ingress: ['[]object', 'Allowed incoming traffic.', ATOMIC],
      podSelector: [
        '@LabelSelector',
        'Pods the policy applies to; empty selects all in the namespace.',
      ],
      policyTypes: ['[]string', 'Ingress and/or Egress.', ATOMIC],
    },
  },
  PodDisruptionBudget: kindDef(
    'io.k8s.api.policy.v1.PodDisruptionBudget',
    gvk('policy', 'v1', 'PodDisruptionBudget'),
    'Limits voluntary disruptions of a set of pods.',
    { spec: ['@PodDisruptionBudgetSpec', 'Desired budget.'], status: status('budget') },
  ),
  PodDisruptionBudgetSpec: {
    name: 'io.k8s.api.policy.v1.PodDisruptionBudgetSpec',
    description: 'How many pods must stay available.',
    fields: {
      maxUnavailable: ['@IntOrString', 'Pods that may be unavailable after an eviction.'],
      minAvailable: ['@IntOrString', 'Pods that must stay available after an eviction.'],
      selector: ['@LabelSelector', 'Pods the budget covers.'],
      unhealthyPodEvictionPolicy: ['string', 'IfHealthyBudget or AlwaysAllow.'],
    },
  },
  HorizontalPodAutoscaler: kindDef(
    'io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler',
    gvk('autoscaling', 'v2', 'HorizontalPodAutoscaler'),
    'Scales a workload by observed metrics.',
    { spec: ['@HorizontalPodAutoscalerSpec', 'Desired scaling.'], status: status('autoscaler') },
  ),
  HorizontalPodAutoscalerSpec: {
    name: 'io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec',
    description: 'What to scale, between which bounds, on which metrics.',
    required: ['scaleTargetRef', 'maxReplicas'],
    fields: {
      behavior: ['object', 'Scale-up and scale-down policies.'],
      maxReplicas: ['int32', 'Upper bound of replicas.'],
      metrics: ['[]object', 'Metrics to compute the desired replicas from.', ATOMIC],
      minReplicas: ['int32', 'Lower bound of replicas. Default 1.'],
      scaleTargetRef: ['@CrossVersionObjectReference', 'The scaled object.'],
    },
  },
  CrossVersionObjectReference: {
    name: 'io.k8s.api.autoscaling.v2.CrossVersionObjectReference',
    description: 'Refers to an object with a scale subresource.',
    required: ['kind', 'name'],
    fields: {
      apiVersion: ['string', 'API version of the referent.'],
      kind: ['string', 'Kind of the referent.'],
      name: ['string', 'Name of the referent.'],
    },
  },
  HorizontalPodAutoscalerV1: kindDef(
    'io.k8s.api.autoscaling.v1.HorizontalPodAutoscaler',
    gvk('autoscaling', 'v1', 'HorizontalPodAutoscaler'),
    'Scales a workload on CPU utilization.',
    { spec: ['@HorizontalPodAutoscalerSpecV1', 'Desired scaling.'], status: status('autoscaler') },
  ),
  HorizontalPodAutoscalerSpecV1: {
    name: 'io.k8s.api.autoscaling.v1.HorizontalPodAutoscalerSpec',
    description: 'What to scale, between which bounds, at which CPU target.',
    required: ['scaleTargetRef', 'maxReplicas'],
    fields: {
      maxReplicas: ['int32', 'Upper bound of replicas.'],
      minReplicas: ['int32', 'Lower bound of replicas. Default 1.'],
      scaleTargetRef: ['@CrossVersionObjectReference', 'The scaled object.'],
      targetCPUUtilizationPercentage: [
        'int32',
        'Target average CPU utilization, percent of requests.',
      ],
    },
  },
  Role: kindDef(
    `${RBAC}.Role`,
    gvk('rbac.authorization.k8s.io', 'v1', 'Role'),
    'Permissions within one namespace.',
    {
      rules: ['[]@PolicyRule', 'The permissions.', ATOMIC],
    },
  ),
  ClusterRole: kindDef(
    `${RBAC}.ClusterRole`,
    gvk('rbac.authorization.k8s.io', 'v1', 'ClusterRole'),
    'Permissions cluster-wide or, when bound by a RoleBinding, in a namespace.',
    {
      aggregationRule: ['object', 'Selects ClusterRoles whose rules are aggregated into this one.'],
      rules: ['[]@PolicyRule', 'The permissions.', ATOMIC],
    },
  ),
  PolicyRule: {
    name: `${RBAC}.PolicyRule`,
    description: 'Verbs allowed on resources or non-resource URLs.',
    required: ['verbs'],
    fields: {
      apiGroups: ['[]string', 'API groups; "" is the core group, "*" all.', ATOMIC],
      nonResourceURLs: [
        '[]string',
        'Paths such as /healthz; a trailing * matches a prefix.',
        ATOMIC,
      ],
      resourceNames: ['[]string', 'Names the rule is limited to.', ATOMIC],
      resources: ['[]string', 'Resources, "resource/subresource" or "*".', ATOMIC],
      verbs: [
        '[]string',
        'Verbs such as get, list, watch, create, update, patch, delete or "*".',
        ATOMIC,
      ],
    },
  },
  RoleBinding: kindDef(
    `${RBAC}.RoleBinding`,
    gvk('rbac.authorization.k8s.io', 'v1', 'RoleBinding'),
    'Grants a role to subjects in a namespace.',
    {
      roleRef: ['@RoleRef', 'The granted Role or ClusterRole. Cannot be updated.'],
      subjects: ['[]@Subject', 'Who receives the role.', ATOMIC],
    },
  ),
  ClusterRoleBinding: kindDef(
    `${RBAC}.ClusterRoleBinding`,
    gvk('rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding'),
    'Grants a ClusterRole cluster-wide.',
    {
      roleRef: ['@RoleRef', 'The granted ClusterRole. Cannot be updated.'],
      subjects: ['[]@Subject', 'Who receives the role.', ATOMIC],
    },
  ),
  RoleRef: {
    name: `${RBAC}.RoleRef`,
    description: 'The role a binding grants.',
    required: ['apiGroup', 'kind', 'name'],
    fields: {
      apiGroup: ['string', 'rbac.authorization.k8s.io'],
      kind: ['string', 'Role or ClusterRole.'],
      name: ['string', 'Name of the role.'],
    },
  },
  Subject: {
    name: `${RBAC}.Subject`,
    description: 'A user, group or service account.',
    required: ['kind', 'name'],
    fields: {
      apiGroup: [
        'string',
        'rbac.authorization.k8s.io for users and groups, "" for service accounts.',
      ],
      kind: ['string', 'User, Group or ServiceAccount.'],
      name: ['string', 'Name of the subject.'],
      namespace: ['string', 'Namespace of a service account.'],
    },
  },
  StorageClass: kindDef(
    'io.k8s.api.storage.v1.StorageClass',
    gvk('storage.k8s.io', 'v1', 'StorageClass'),
    'A class of dynamically provisioned storage.',
    {},
    true,
  ),
  SubjectAccessReview: kindDef(
    'io.k8s.api.authorization.v1.SubjectAccessReview',
    gvk('authorization.k8s.io', 'v1', 'SubjectAccessReview'),
    'Asks whether a user may perform an action.',
    {},
    true,
  ),
  SelfSubjectAccessReview: kindDef(
    'io.k8s.api.authorization.v1.SelfSubjectAccessReview',
    gvk('authorization.k8s.io', 'v1', 'SelfSubjectAccessReview'),
    'Asks whether the caller may perform an action.',
    {},
    true,
  ),
  SelfSubjectRulesReview: kindDef(
    'io.k8s.api.authorization.v1.SelfSubjectRulesReview',
    gvk('authorization.k8s.io', 'v1', 'SelfSubjectRulesReview'),
    'Lists what the caller may do in a namespace.',
    {},
    true,
  ),
  EndpointSlice: kindDef(
    'io.k8s.api.discovery.v1.EndpointSlice',
    gvk('discovery.k8s.io', 'v1', 'EndpointSlice'),
    'A subset of the endpoints of a service.',
    {},
    true,
  ),
  EventsEvent: kindDef(
    'io.k8s.api.events.v1.Event',
    gvk('events.k8s.io', 'v1', 'Event'),
    'A report of something that happened to an object.',
    {},
    true,
  ),
  Lease: kindDef(
    'io.k8s.api.coordination.v1.Lease',
    gvk('coordination.k8s.io', 'v1', 'Lease'),
    'A lease used for leader election and heartbeats.',
    {},
    true,
  ),
  ValidatingWebhookConfiguration: kindDef(
    'io.k8s.api.admissionregistration.v1.ValidatingWebhookConfiguration',
    gvk('admissionregistration.k8s.io', 'v1', 'ValidatingWebhookConfiguration'),
    'Webhooks that validate requests.',
    {},
    true,
  ),
  MutatingWebhookConfiguration: kindDef(
    'io.k8s.api.admissionregistration.v1.MutatingWebhookConfiguration',
    gvk('admissionregistration.k8s.io', 'v1', 'MutatingWebhookConfiguration'),
    'Webhooks that mutate requests.',
    {},
    true,
  ),
};
