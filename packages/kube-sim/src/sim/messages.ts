/**
 * The exact texts kubelet and containerd put into Events and container statuses, so that
 * analyzers and people reading `kubectl describe` see what a real cluster shows.
 */
import type { ResolvedImage } from './resolved.ts';

function scopeQuery(repository: string): string {
  return encodeURIComponent(`repository:${repository}:pull`);
}

/** containerd's reason for a failed pull, after `rpc error: `. */
export function pullErrorDetail(image: ResolvedImage): string {
  const { ref } = image;
  const name = ref.normalized;
  const prefix = `failed to pull and unpack image "${name}": failed to resolve reference "${name}"`;
  if (image.pull === 'NotFound') {
    return `code = NotFound desc = ${prefix}: ${name}: not found`;
  }
  if (ref.registry === 'docker.io') {
    return `code = Unknown desc = ${prefix}: pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`;
  }
  return `code = Unknown desc = ${prefix}: failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://${ref.registry}/token?scope=${scopeQuery(ref.repository)}&service=${ref.registry}: 401 Unauthorized`;
}

/** Message of the kubelet's `Failed` event and of the ErrImagePull waiting state. */
export function pullFailedMessage(image: ResolvedImage): string {
  return `Failed to pull image "${image.ref.original}": rpc error: ${pullErrorDetail(image)}`;
}

export const kubeletMessages = {
  pulling: (image: string) => `Pulling image "${image}"`,
  pulled: (image: string, seconds: number, sizeBytes: number) =>
    `Successfully pulled image "${image}" in ${seconds.toFixed(3)}s (${seconds.toFixed(3)}s including waiting). Image size: ${sizeBytes} bytes.`,
  alreadyPresent: (image: string) => `Container image "${image}" already present on machine`,
  errImagePull: 'Error: ErrImagePull',
  imagePullBackOff: 'Error: ImagePullBackOff',
  backOffPulling: (image: string) => `Back-off pulling image "${image}"`,
  created: (container: string) => `Created container: ${container}`,
  started: (container: string) => `Started container ${container}`,
  backOffRestart: (container: string, pod: string, namespace: string, uid: string) =>
    `Back-off restarting failed container ${container} in pod ${pod}_${namespace}(${uid})`,
  startError: (message: string) => `Error: ${message}`,
} as const;

/** runc's message when argv[0] cannot be executed (container state Terminated, reason StartError, exit 128). */
export function execNotFoundMessage(program: string): string {
  const cause = program.includes('/')
    ? `error during container init: exec: "${program}": stat ${program}: no such file or directory`
    : `exec: "${program}": executable file not found in $PATH`;
  return `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: ${cause}: unknown`;
}
