import { consume, type RunningConsumer } from '@opsloop/eventlog';
import { DEFAULT_POLICY, connectCluster, type Cluster, type Policy } from '@opsloop/kube-tools';
import type { Logger } from '@opsloop/service-kit';
import { reviewApproverAccess, type KubernetesIdentity } from './access.ts';
import { handleApproval, type ExecutorContext } from './execute.ts';
import { KillSwitch } from './kill-switch.ts';
import type { OpsLog } from './session.ts';

export interface ExecutorOptions {
  log: OpsLog;
  cluster: Cluster;
  logger: Logger;
  killSwitchBucket?: string;
  killSwitchKey?: string;
  approverAccess?: 'sar' | 'impersonate';
  userAgent?: string;
  minApprovers?: number;
  concurrency?: number;
  ackWaitMs?: number;
  maxDeliver?: number;
  retryMaxMs?: number;
  allowProtectedNamespaces?: string[];
  testPauseAfterWriteMs?: number;
}

export interface RunningExecutor {
  stop(): Promise<void>;
  /** Whether NATS and the kill switch answer (the switch may be set: that is still "ready"). */
  ready(): Promise<boolean>;
}

/** Durable consumer of the executor role; every replica shares it. */
export const EXECUTOR_CONSUMER = 'executor';

/**
 * Starts the executor: `concurrency` pull subscriptions on the shared durable consumer,
 * each handling one event at a time. Only ApprovalGranted events by people are acted on.
 */
export async function startExecutor(options: ExecutorOptions): Promise<RunningExecutor> {
  const { log, cluster, logger } = options;
  const killSwitch = await KillSwitch.open(
    log.js,
    options.killSwitchBucket ?? 'opsloop_control',
    options.killSwitchKey ?? 'kill-switch',
  );
  const clusterId = await cluster.identity();
  const policy: Policy = {
    ...DEFAULT_POLICY,
    allowProtected: options.allowProtectedNamespaces ?? [],
  };
  const impersonate = options.approverAccess === 'impersonate';
  const ctx: ExecutorContext = {
    log,
    cluster,
    clusterId,
    killSwitch,
    policy,
    minApprovers: options.minApprovers ?? 1,
    pauseAfterWriteMs: options.testPauseAfterWriteMs ?? 0,
    logger,
    access: (who, step) =>
      impersonate
        ? Promise.resolve({ allowed: true, message: 'checked by the API server on the write' })
        : reviewApproverAccess(cluster, who, step),
    writer: (who) => (impersonate ? impersonating(options, who) : Promise.resolve(cluster)),
  };
  const retryMaxMs = options.retryMaxMs ?? 5000;
  const consumers: RunningConsumer[] = [];
  for (let i = 0; i < (options.concurrency ?? 4); i++) {
    consumers.push(
      await consume(log, {
        name: EXECUTOR_CONSUMER,
        batch: 1,
        ackWaitMs: options.ackWaitMs ?? 30_000,
        maxDeliver: options.maxDeliver ?? 2000,
        backoffMs: (n) => Math.min(retryMaxMs, 250 * 2 ** (n - 1)),
        handler: async (event, info) => {
          if (event.type !== 'ApprovalGranted') return;
          await handleApproval(ctx, event, info.deliveryCount);
        },
      }),
    );
  }
  logger.info(
    {
      clusterId,
      killSwitch: killSwitch.where,
      approverAccess: impersonate ? 'impersonate' : 'sar',
    },
    'executor consuming',
  );
  return {
    async stop() {
      await Promise.all(consumers.map((c) => c.stop()));
    },
    async ready() {
      const state = await killSwitch.read();
      return !(state.engaged && state.reason === 'kill_switch_unreadable');
    },
  };
}

const impersonators = new Map<string, Promise<Cluster>>();

/**
 * A connection that writes as the approver (Impersonate-User): the API server then
 * authorizes the write itself. client-node impersonates a user only, not groups, so a
 * permission the approver has through a group is not used (never more than the user has).
 */
function impersonating(options: ExecutorOptions, who: KubernetesIdentity): Promise<Cluster> {
  let cluster = impersonators.get(who.user);
  if (cluster === undefined) {
    const kc = options.cluster.kubeConfig;
    const user = kc.getCurrentUser();
    if (!user) throw new Error('the executor kubeconfig has no current user to impersonate from');
    const text = JSON.stringify({
      ...JSON.parse(kc.exportConfig()),
      users: [
        { name: user.name, user: { ...exportedUser(kc.exportConfig(), user.name), as: who.user } },
      ],
    });
    cluster = connectCluster({ kubeconfigText: text, userAgent: options.userAgent });
    impersonators.set(who.user, cluster);
  }
  return cluster;
}

function exportedUser(exported: string, name: string): Record<string, unknown> {
  const config = JSON.parse(exported) as {
    users: { name: string; user: Record<string, unknown> }[];
  };
  return config.users.find((u) => u.name === name)?.user ?? {};
}
