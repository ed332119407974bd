/**
 * The embedded cluster of `opsloop up`, run as its own process: kube-sim with the demo
 * cluster (or a given scenario), token users for the services' and the people's
 * Kubernetes identities, RBAC loaded from YAML, and one kubeconfig per identity. Its state
 * is saved to `--state`, so a second start resumes the same cluster.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startKubeSim, type UserSpec } from '@opsloop/kube-sim';

interface Identity extends UserSpec {
  /** File name of its kubeconfig: `<dir>/<name>.kubeconfig`. */
  name: string;
}

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    state: { type: 'string' },
    scenario: { type: 'string' },
    identities: { type: 'string' },
    rbac: { type: 'string', multiple: true, default: [] },
    'kubeconfig-dir': { type: 'string' },
    speed: { type: 'string', default: '1' },
    'audit-log': { type: 'string' },
  },
  strict: true,
});

function log(fields: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ service: 'kube-sim', ...fields })}\n`);
}

try {
  const identities: Identity[] = values.identities
    ? (JSON.parse(readFileSync(values.identities, 'utf8')) as Identity[])
    : [];
  const restoring = values.state !== undefined && existsSync(values.state);
  const sim = await startKubeSim({
    port: Number(values.port),
    speed: Number(values.speed),
    users: identities.map(({ token, username, groups }) => ({ token, username, groups })),
    ...(values.state ? { statePath: values.state } : {}),
    ...(values['audit-log'] ? { auditLogPath: values['audit-log'] } : {}),
    ...(values.scenario ? { scenario: values.scenario } : {}),
  });
  // RBAC is applied on every start (it may have changed); objects already there are kept.
  for (const file of values.rbac ?? []) {
    try {
      sim.loadYaml(readFileSync(file, 'utf8'), file);
    } catch (error) {
      if (!restoring || !/already exists/.test(String(error))) throw error;
    }
  }
  const dir = values['kubeconfig-dir'];
  if (dir) {
    mkdirSync(dir, { recursive: true });
    sim.writeKubeconfig(join(dir, 'admin.kubeconfig'));
    for (const identity of identities) {
      sim.writeKubeconfig(join(dir, `${identity.name}.kubeconfig`), identity.username);
    }
  }
  const stop = () => {
    sim.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  log({ msg: 'ready', url: sim.url, restored: restoring });
} catch (error) {
  process.stderr.write(`kube-sim: ${(error as Error).message}\n`);
  process.exit(1);
}
