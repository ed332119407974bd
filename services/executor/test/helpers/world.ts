/**
 * A test world: a real nats-server, a kube-sim cluster running a library scenario, the
 * identities of rbac.ts, and an event log the test writes to as the gateway and the
 * planner would (contracts' decide + newEvent + append). The services under test run as
 * their own processes (spawnService on services/<svc>/src/main.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import type { NatsConnection } from '@nats-io/nats-core';
import {
  OpsEvents,
  decide,
  evolve,
  initialState,
  newEventFrom,
  type Actor,
  type Command,
  type OpsEvent,
  type Plan,
  type opsEventDefinitions,
} from '@opsloop/contracts';
import { EventLog } from '@opsloop/eventlog';
import { startScenarioSim, type ScenarioSim } from '@opsloop/kube-sim';
import {
  analyzeSnapshot,
  connectCluster,
  loadSnapshot,
  planStep,
  type Cluster,
} from '@opsloop/kube-tools';
import { connectNats } from '@opsloop/service-kit';
import {
  spawnService,
  startNatsServer,
  type NatsServer,
  type ServiceProcess,
} from '@opsloop/testkit';
import { USERS, rbacYaml } from './rbac.ts';

export const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const EXECUTOR_MAIN = join(ROOT, 'services/executor/src/main.ts');
export const VERIFIER_MAIN = join(ROOT, 'services/verifier/src/main.ts');

type Log = EventLog<(typeof opsEventDefinitions)[number]>;

export interface StepSpec {
  action: string;
  args: Record<string, unknown>;
}

export interface World {
  nats: NatsServer;
  nc: NatsConnection;
  log: Log;
  run: ScenarioSim;
  /** The admin's connection (the planner's view in these tests). */
  admin: Cluster;
  clusterId: string;
  kubeconfigPath(user: string): string;
  executor(extra?: string[], env?: Record<string, string>): Promise<ServiceProcess>;
  verifier(extra?: string[], env?: Record<string, string>): Promise<ServiceProcess>;
  /** The analyzers' top fix using `action` on `name`, once the scenario's fault shows. */
  remediation(action: string, name: string, timeoutMs?: number): Promise<StepSpec>;
  /** A ScaleWorkload step to one replica more than the Deployment has now. */
  scaleUp(name: string, by?: number): Promise<StepSpec>;
  /** Plans `steps` on the live cluster and writes request, plan and approval; returns the op id. */
  approved(steps: StepSpec[], options?: ApproveOptions): Promise<{ opId: string; plan: Plan }>;
  /** One more approval (as `approver`) of the operation's current plan. */
  grant(opId: string, approver: string, options?: ApproveOptions): Promise<void>;
  append(opId: string, actor: Actor, command: Command): Promise<void>;
  events(opId: string): Promise<OpsEvent[]>;
  waitFor(opId: string, type: string, timeoutMs?: number): Promise<OpsEvent>;
  stop(): Promise<void>;
}

export interface ApproveOptions {
  approvers?: string[];
  required?: number;
  expiresInMs?: number;
  /** Plan only; write the approval later (with grant()). */
  planOnly?: boolean;
}

const PLANNER: Actor = { kind: 'service', id: 'planner' };

export async function startWorld(scenario: string, speed = 50): Promise<World> {
  const nats = await startNatsServer();
  const run = await startScenarioSim(scenario, { speed, users: USERS });
  run.sim.loadYaml(rbacYaml([run.namespace]), 'rbac.yaml');
  const dir = mkdtempSync(join(tmpdir(), 'opsloop-exec-test-'));
  const kubeconfigPath = (user: string) => {
    const file = join(dir, `${user}.kubeconfig`);
    writeFileSync(file, run.kubeconfig(user));
    return file;
  };
  const admin = await connectCluster({ kubeconfigText: run.kubeconfig() });
  const clusterId = await admin.identity();
  const nc = await connectNats(nats.url, 'test');
  const log: Log = await EventLog.open(nc, OpsEvents);
  const processes: ServiceProcess[] = [];

  const spawn = async (name: string, entry: string, user: string, extra: string[], env = {}) => {
    const service = await spawnService({
      name,
      entry,
      args: ['--nats', nats.url, '--kubeconfig', kubeconfigPath(user), ...extra],
      env: { OPSLOOP_LOG_LEVEL: 'info', ...env },
      readyTimeoutMs: 60_000,
    });
    processes.push(service);
    return service;
  };

  const events = async (opId: string) => (await log.read(opId)).events;

  const append = async (opId: string, actor: Actor, command: Command) => {
    const history = await events(opId);
    const state = history.reduce(evolve, initialState);
    const pending = decide(command, state, new Date());
    const envelopes = pending.map((p) =>
      newEventFrom(p, {
        opId,
        actor,
        causationId: state.lastEventId,
        correlationId: opId,
        id: randomUUID(),
      }),
    );
    await log.append(opId, envelopes, state.eventCount);
  };

  const world: World = {
    nats,
    nc,
    log,
    run,
    admin,
    clusterId,
    kubeconfigPath,
    executor: (extra = [], env) =>
      spawn(
        'executor',
        EXECUTOR_MAIN,
        'opsloop-executor',
        ['--ack-wait-ms', '4000', ...extra],
        env,
      ),
    verifier: (extra = [], env) =>
      spawn(
        'verifier',
        VERIFIER_MAIN,
        'opsloop-verifier',
        [
          '--plan-kubeconfig',
          kubeconfigPath('opsloop-planner'),
          '--ack-wait-ms',
          '4000',
          '--poll-ms',
          '200',
          // kube-sim runs 50× faster: 1 s of wall time is 50 s of the pods' lives.
          '--stable-window-ms',
          '1000',
          ...extra,
        ],
        env,
      ),
    append,
    events,
    grant: (opId, approver, options) => grant(opId, approver, options),
    async remediation(action, name, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const findings = analyzeSnapshot(await loadSnapshot(admin, run.namespace));
        for (const f of findings) {
          const fix = f.remediations.find((r) => r.action === action);
          if (fix && f.object.name === name) return { action: fix.action, args: fix.args };
        }
        if (Date.now() > deadline)
          throw new Error(
            `no ${action} fix for ${name}: ${findings.map((f) => f.code).join(', ')}`,
          );
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    },
    async scaleUp(name, by = 1) {
      const live = await admin.get('Deployment', run.namespace, name);
      const replicas = Number(live?.spec?.replicas ?? 1) + by;
      return {
        action: 'ScaleWorkload',
        args: { namespace: run.namespace, kind: 'Deployment', name, replicas },
      };
    },
    async approved(steps, options = {}) {
      const opId = `op-${randomUUID().slice(0, 12)}`;
      const planned = [];
      for (const [i, spec] of steps.entries())
        planned.push({ ...(await planStep(spec.action, spec.args, admin)), id: `s${i + 1}` });
      const plan: Plan = {
        schemaVersion: 1,
        clusterId,
        steps: planned,
        rationale: `test plan: ${steps.map((s) => s.action).join(', ')}`,
      };
      await append(
        opId,
        { kind: 'user', id: 'alice' },
        {
          type: 'RequestOperation',
          request: 'please apply the test plan',
          namespace: run.namespace,
          requestedBy: 'alice',
          teams: ['shop-team'],
          scope: { namespaces: [run.namespace] },
          cluster: { id: clusterId },
        },
      );
      await append(opId, PLANNER, { type: 'ProposePlan', plan });
      if (!options.planOnly) {
        for (const approver of options.approvers ?? ['bob']) await grant(opId, approver, options);
      }
      return { opId, plan };
    },
    async waitFor(opId, type, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        // Reads fail while a test has nats-server down; keep asking until the deadline.
        const found = (await events(opId).catch(() => [])).find((e) => e.type === type);
        if (found) return found;
        if (Date.now() > deadline) {
          const seen = (await events(opId))
            .map((e) =>
              ['StepFailed', 'OperationFailed', 'PlanInvalidated', 'VerificationFailed'].includes(
                e.type,
              )
                ? `${e.type} ${JSON.stringify(e.payload)}`
                : e.type,
            )
            .join(', ');
          throw new Error(`${opId}: no ${type} within ${timeoutMs} ms; events: ${seen}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async stop() {
      await Promise.all(processes.map((p) => p.kill()));
      await nc.close().catch(() => undefined);
      await run.stop();
      await nats.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };

  async function grant(opId: string, approver: string, options: ApproveOptions = {}) {
    const state = (await events(opId)).reduce(evolve, initialState);
    await append(
      opId,
      { kind: 'user', id: approver },
      {
        type: 'GrantApproval',
        planHash: state.plan!.planHash,
        approver,
        expiresAt: new Date(Date.now() + (options.expiresInMs ?? 10 * 60_000)).toISOString(),
        required: options.required ?? 1,
        kubernetesIdentity: { user: approver, groups: ['shop-team'] },
      },
    );
  }
  return world;
}

/** Kube-sim audit entries of real (not dry-run) writes by the executor's field manager. */
export function executorWrites(world: World, name?: string) {
  return world.run.sim.audit
    .entries()
    .filter(
      (e) =>
        ['create', 'update', 'patch', 'delete'].includes(e.verb) &&
        !e.dryRun &&
        e.fieldManager === 'opsloop-executor' &&
        (name === undefined || e.name === name),
    );
}
