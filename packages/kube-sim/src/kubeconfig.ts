/** The kubeconfig clients use to reach kube-sim (plain HTTP, bearer token). */
import { stringify } from 'yaml';

export function kubeconfigYaml(
  url: string,
  user: string,
  token: string,
  namespace = 'default',
): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'kube-sim', cluster: { server: url, 'insecure-skip-tls-verify': true } }],
    users: [{ name: user, user: { token } }],
    contexts: [{ name: 'kube-sim', context: { cluster: 'kube-sim', user, namespace } }],
    'current-context': 'kube-sim',
    preferences: {},
  });
}
