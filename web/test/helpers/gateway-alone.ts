import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  newEvent,
  OpsEvents,
  type Actor,
  type OpsEventType,
  type PayloadOf,
  type Plan,
} from '@opsloop/contracts';
import { EventLog } from '@opsloop/eventlog';
import {
  DEMO_CLUSTER,
  DEMO_TEAMS,
  kubernetesGroupOfTeam,
  teamRbacYaml,
} from '@opsloop/cli/launcher';
import { generateEmbeddedUsers, type Credential } from '@opsloop/gateway';
import { startKubeSim, type KubeSim } from '@opsloop/kube-sim';
import { connectCluster, planStep } from '@opsloop/kube-tools';
import { connectNats, spawnService, type ServiceProcess } from '@opsloop/service-kit';
import { freePort, startNatsServer, type NatsServer } from '@opsloop/testkit';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const WEB_DIST = join(ROOT, 'web', 'dist');

/**
 * The real gateway, as its own process, against a real nats-server and kube-sim with the
 * demo cluster, serving the built console — but without planner, executor and verifier:
 * the test writes their events itself (contracts' newEvent, eventlog's append), to show
 * every state of an operation on demand.
 */
export interface GatewayAlone {
  url: string;
  credentials: Credential[];
  token(name: string): string;
  log: EventLog<(typeof import('@opsloop/contracts'))['opsEventDefinitions'][number]>;
  sim: KubeSim;
  gateway: ServiceProcess;
  /** SIGKILLs the gateway; `startAgain()` brings it back on the same port. */
  killGateway(): Promise<void>;
  startAgain(): Promise<void>;
  /** A plan fixing payment-api's selector, planned by kube-tools against the sim (real dry-run diff). */
  selectorFix(clusterId: string, selector?: Record<string, string>): Promise<Plan>;
  /** Appends one event to an operation as `actor`, after what is there. */
  append<T extends OpsEventType>(
    opId: string,
    type: T,
    payload: PayloadOf<T>,
    actor: Actor,
  ): Promise<void>;
  stop(): Promise<void>;
}

export async function startGatewayAlone(
  options: {
    /** The users file's `oidc` block (single sign-on), as the gateway's schema defines it. */
    oidc?: Record<string, unknown>;
  } = {},
): Promise<GatewayAlone> {
  const dir = mkdtempSync(join(tmpdir(), 'opsloop-web-'));
  const nats: NatsServer = await startNatsServer();
  const sim = await startKubeSim({ port: 0, scenario: DEMO_CLUSTER });
  sim.loadYaml(teamRbacYaml(DEMO_TEAMS, kubernetesGroupOfTeam), 'team-rbac.yaml');
  const kubeconfig = join(dir, 'gateway.kubeconfig');
  sim.writeKubeconfig(kubeconfig);
  const users = await generateEmbeddedUsers({ teams: DEMO_TEAMS, dataDir: dir });
  // YAML takes a JSON object as a flow mapping.
  if (options.oidc) appendFileSync(users.usersFile, `oidc: ${JSON.stringify(options.oidc)}\n`);
  // A fixed port, so a restarted gateway is found again by the pages that were open.
  const port = await freePort();
  const spawn = () =>
    spawnService({
      name: 'gateway',
      entry: join(ROOT, 'services', 'gateway', 'src', 'main.ts'),
      args: [
        ...['--nats', nats.url, '--kubeconfig', kubeconfig, '--port', String(port)],
        ...['--users', users.usersFile, '--web', WEB_DIST, '--heartbeat-ms', '1000'],
      ],
      readyTimeoutMs: 60_000,
    });
  let gateway = await spawn();
  const url = `http://127.0.0.1:${port}`;
  const cluster = await connectCluster({ kubeconfigPath: kubeconfig });
  const nc = await connectNats(nats.url, 'web-test');
  const log = await EventLog.open(nc, OpsEvents);
  return {
    url,
    credentials: users.credentials,
    token(name) {
      const found = users.credentials.find((c) => c.name === name);
      if (found === undefined) throw new Error(`no credential ${name}`);
      return found.token;
    },
    log,
    sim,
    get gateway() {
      return gateway;
    },
    async killGateway() {
      await gateway.kill();
    },
    async startAgain() {
      gateway = await spawn();
    },
    async selectorFix(clusterId, selector = { 'app.kubernetes.io/name': 'payment-api' }) {
      const args = { namespace: 'payments', name: 'payment-api', selector };
      const step = await planStep('PatchServiceSelector', args, cluster);
      return {
        schemaVersion: 1,
        clusterId,
        rationale:
          'Service payments/payment-api selects app=payment-api; the pods of the 2.0.1 deploy carry app.kubernetes.io/name=payment-api, so it has no endpoints.',
        steps: [{ id: 's1', ...step }],
      };
    },
    async append(opId, type, payload, actor) {
      const { events } = await log.read(opId);
      const last = events.at(-1);
      const event = newEvent(type, payload, {
        opId,
        actor,
        causationId: last?.id ?? null,
        correlationId: opId,
        id: `${opId}:test:${events.length + 1}`,
      });
      await log.append(opId, [event], events.length);
    },
    async stop() {
      await gateway.stop();
      await nc.close();
      await sim.stop();
      await nats.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
