import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnService, type ServiceProcess } from '@opsloop/service-kit';
import { dataDir as makeDataDir, kubeconfigOf, type DataDir } from './data-dir.ts';
import {
  DEMO_TEAMS,
  SERVICES,
  managedNamespaceRbac,
  rbacFiles,
  serviceIdentities,
  teamRbacYaml,
  type ServiceName,
  type Team,
} from './identities.ts';
import { checkKubeconfig } from './kubeconfig-check.ts';
import { LaunchError, ensureNatsServer, freePort, portIsFree, startEmbeddedNats } from './nats.ts';
import { embeddedUsers, kubernetesGroupOfTeam } from './users.ts';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
export const DEMO_CLUSTER = join(dirname(fileURLToPath(import.meta.url)), 'demo-cluster.yaml');

export interface LlmOptions {
  provider: 'none' | 'ollama' | 'openai';
  model?: string;
  url?: string;
}

export interface OpsloopOptions {
  /** Default `.opsloop` in the current directory. */
  dataDir?: string;
  /** An external NATS server; otherwise nats-server runs as a child with its store in dataDir. */
  natsUrl?: string;
  /** Port of the embedded nats-server (default 4333; 0 picks a free one). */
  natsPort?: number;
  /** Gateway port (default 8080; 0 picks a free one). */
  gatewayPort?: number;
  /** A real cluster instead of the embedded kube-sim. */
  kubeconfig?: string;
  context?: string;
  /**
   * A cluster the caller runs (the scenario sweep's in-process kube-sim): the kubeconfig of
   * each identity (planner, executor, verifier, gateway, admin).
   */
  cluster?: { kubeconfigFor(identity: string): string };
  /** Who owns which namespace (default: the demo's two teams; one team owning "*" on a real cluster). */
  teams?: Team[];
  /** The embedded cluster's scenario (default: the demo cluster). */
  scenario?: string;
  /** kube-sim clock speed (default 1). */
  speed?: number;
  /** A users file; without one, users are generated (the demo's two teams, or one team owning everything). */
  usersFile?: string;
  llm?: LlmOptions;
  /** Built console to serve (default web/dist when it exists). */
  webDir?: string;
  /** Extra arguments per service (test hooks such as the executor's pause after a write). */
  serviceArgs?: Partial<Record<ServiceName, string[]>>;
  /** Extra environment per service. */
  serviceEnv?: Partial<Record<ServiceName, Record<string, string>>>;
  progress?: (line: string) => void;
}

export interface RunningOpsloop {
  gatewayUrl: string;
  credentialsPath: string;
  usersPath: string;
  natsUrl: string;
  /** The admin kubeconfig of the embedded cluster, or the given kubeconfig. */
  adminKubeconfig: string;
  dataDir: DataDir;
  processes: Map<string, ServiceProcess>;
  /** kube-sim's audit log of every mutating request (JSON lines), when the cluster is embedded. */
  auditLog: string | null;
  /** SIGKILL (or stop) a service and start it again, optionally with other extra arguments. */
  restart(name: ServiceName, how?: 'kill' | 'stop', args?: string[]): Promise<ServiceProcess>;
  stop(): Promise<void>;
}

const entry = (service: ServiceName) => join(REPO_ROOT, 'services', service, 'src', 'main.ts');

/**
 * Starts the whole product: NATS (child or external), the cluster (kube-sim child with the
 * demo, or a real kubeconfig), and the planner, executor, verifier and gateway, each its
 * own OS process with its own Kubernetes identity. On any failure everything already
 * started is stopped again, so nothing is left running.
 */
export async function startOpsloop(options: OpsloopOptions = {}): Promise<RunningOpsloop> {
  const say = options.progress ?? (() => undefined);
  const dir = makeDataDir(options.dataDir ?? '.opsloop');
  const started: { stop(): Promise<unknown> }[] = [];
  const processes = new Map<string, ServiceProcess>();
  const stopAll = async () => {
    for (const item of started.splice(0).reverse()) await item.stop().catch(() => undefined);
  };
  try {
    // A real cluster's kubeconfig is checked before anything starts.
    const realKubeconfig =
      options.kubeconfig && !options.cluster
        ? checkKubeconfig(options.kubeconfig, options.context)
        : undefined;
    // A concrete port even when 0 was asked for, so a restarted gateway comes back on it.
    const gatewayPort =
      options.gatewayPort === 0 ? await freePort() : (options.gatewayPort ?? 8080);
    if (!(await portIsFree(gatewayPort))) {
      throw new LaunchError(
        `port ${gatewayPort} is taken: stop what uses it or pass --port to pick another`,
      );
    }
    const natsUrl = options.natsUrl ?? (await embeddedNats(options, dir, say, started));

    const teams: Team[] =
      options.teams ?? (options.kubeconfig ? [{ name: 'ops', namespaces: ['*'] }] : DEMO_TEAMS);
    const users = options.usersFile
      ? { usersFile: options.usersFile, credentialsFile: join(dir.root, 'credentials.json') }
      : await embeddedUsers(teams, dir);

    const kubeconfigs = options.cluster
      ? (identity: string) => options.cluster!.kubeconfigFor(identity)
      : realKubeconfig
        ? () => realKubeconfig
        : await embeddedCluster(options, dir, teams, say, started, processes);

    const common = (service: ServiceName) => [
      '--nats',
      natsUrl,
      '--kubeconfig',
      kubeconfigs(service),
      ...(options.context ? ['--context', options.context] : []),
    ];
    const extra: Record<ServiceName, string[]> = {
      planner: plannerArgs(options.llm),
      executor: [],
      verifier: [],
      gateway: gatewayArgs(options, users.usersFile, dir, gatewayPort),
    };
    const launch = async (service: ServiceName, args = options.serviceArgs?.[service] ?? []) => {
      say(`starting ${service}`);
      const proc = await spawnService({
        name: service,
        entry: entry(service),
        args: [...common(service), ...extra[service], ...args],
        env: { OPSLOOP_LOG_LEVEL: 'info', ...options.serviceEnv?.[service] },
        logFile: join(dir.logs, `${service}.log`),
        readyTimeoutMs: 60_000,
      });
      processes.set(service, proc);
      return proc;
    };
    // The services do not depend on each other (they meet only in the stream): start them at once.
    const launched = await Promise.allSettled(SERVICES.map((service) => launch(service)));
    for (const service of SERVICES) {
      started.push({ stop: () => processes.get(service)?.stop() ?? Promise.resolve() });
    }
    const failed = launched.find((r) => r.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    const ready = processes.get('gateway')!.logs.find((l) => l.msg === 'ready');
    const gatewayUrl = String(ready?.url ?? `http://127.0.0.1:${gatewayPort}`);
    return {
      gatewayUrl,
      credentialsPath: users.credentialsFile,
      usersPath: users.usersFile,
      natsUrl,
      adminKubeconfig: kubeconfigs('admin'),
      auditLog: options.cluster || options.kubeconfig ? null : join(dir.logs, 'kube-audit.jsonl'),
      dataDir: dir,
      processes,
      async restart(service, how = 'kill', args = []) {
        const old = processes.get(service);
        if (old) await (how === 'kill' ? old.kill() : old.stop());
        return launch(service, args);
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

async function embeddedNats(
  options: OpsloopOptions,
  dir: DataDir,
  say: (line: string) => void,
  started: { stop(): Promise<unknown> }[],
): Promise<string> {
  const binary = ensureNatsServer(REPO_ROOT);
  let port = options.natsPort ?? 4333;
  if (port === 0) port = await freePort();
  else if (!(await portIsFree(port))) {
    throw new LaunchError(
      `port ${port} for the embedded nats-server is taken: stop what uses it, pass --nats-port, or set NATS_URL`,
    );
  }
  say(`starting nats-server (store ${dir.natsStore})`);
  const nats = await startEmbeddedNats({ binary, storeDir: dir.natsStore, port });
  started.push(nats);
  return nats.url;
}

async function embeddedCluster(
  options: OpsloopOptions,
  dir: DataDir,
  teams: Team[],
  say: (line: string) => void,
  started: { stop(): Promise<unknown> }[],
  processes: Map<string, ServiceProcess>,
): Promise<(identity: string) => string> {
  const rbac = rbacFiles(REPO_ROOT);
  const identities = serviceIdentities(rbac);
  writeFileSync(dir.identities, JSON.stringify(identities), { mode: 0o600 });
  const teamRbac = join(dir.kubeconfigs, 'team-rbac.yaml');
  const namespaces = teams.flatMap((t) => t.namespaces).filter((n) => !n.includes('*'));
  writeFileSync(
    teamRbac,
    `${managedNamespaceRbac(REPO_ROOT, namespaces)}---\n${teamRbacYaml(teams, kubernetesGroupOfTeam)}\n`,
  );
  say('starting kube-sim (the demo cluster)');
  const sim = await spawnService({
    name: 'kube-sim',
    entry: join(dirname(fileURLToPath(import.meta.url)), 'sim-main.ts'),
    args: [
      '--state',
      dir.clusterState,
      '--scenario',
      options.scenario ?? DEMO_CLUSTER,
      '--identities',
      dir.identities,
      '--kubeconfig-dir',
      dir.kubeconfigs,
      '--speed',
      String(options.speed ?? 1),
      '--audit-log',
      join(dir.logs, 'kube-audit.jsonl'),
      ...rbac.flatMap((file) => ['--rbac', file]),
      '--rbac',
      teamRbac,
    ],
    logFile: join(dir.logs, 'kube-sim.log'),
    readyTimeoutMs: 60_000,
  });
  processes.set('kube-sim', sim);
  started.push(sim);
  return (identity) => kubeconfigOf(dir, identity);
}

function plannerArgs(llm: LlmOptions | undefined): string[] {
  if (!llm || llm.provider === 'none') return [];
  return [
    '--llm',
    llm.provider,
    ...(llm.model ? ['--model', llm.model] : []),
    ...(llm.url ? ['--llm-url', llm.url] : []),
  ];
}

function gatewayArgs(
  options: OpsloopOptions,
  usersFile: string,
  dir: DataDir,
  port: number,
): string[] {
  const web = options.webDir ?? join(REPO_ROOT, 'web', 'dist');
  return [
    '--port',
    String(port),
    '--users',
    usersFile,
    '--data-dir',
    dir.root,
    ...(existsSync(web) ? ['--web', web] : []),
  ];
}

export {
  DEMO_TEAMS,
  SERVICES,
  managedNamespaceRbac,
  rbacFiles,
  serviceIdentities,
  teamRbacYaml,
  type Team,
} from './identities.ts';
export { kubernetesGroupOfTeam } from './users.ts';
export { LaunchError } from './nats.ts';
