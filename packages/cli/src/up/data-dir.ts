import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Everything the embedded default keeps between runs lives in one directory (git-ignored
 * `.opsloop/` by default): the JetStream store, the simulated cluster's state, the users
 * file and the credentials, and one kubeconfig per identity.
 */
export interface DataDir {
  root: string;
  natsStore: string;
  clusterState: string;
  kubeconfigs: string;
  identities: string;
  users: string;
  credentials: string;
  logs: string;
}

export function dataDir(root: string): DataDir {
  const abs = resolve(root);
  const dir: DataDir = {
    root: abs,
    natsStore: join(abs, 'nats'),
    clusterState: join(abs, 'cluster-state.json'),
    kubeconfigs: join(abs, 'kube'),
    identities: join(abs, 'kube', 'identities.json'),
    users: join(abs, 'users.yaml'),
    credentials: join(abs, 'credentials.json'),
    logs: join(abs, 'logs'),
  };
  for (const path of [abs, dir.natsStore, dir.kubeconfigs, dir.logs]) {
    mkdirSync(path, { recursive: true, mode: 0o700 });
  }
  return dir;
}

export function kubeconfigOf(dir: DataDir, identity: string): string {
  return join(dir.kubeconfigs, `${identity}.kubeconfig`);
}
