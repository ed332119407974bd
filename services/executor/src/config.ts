import { z } from 'zod';
import { CommonConfig, type Setting } from '@opsloop/service-kit';

/** Every executor setting, as a flag and an environment variable (flags win). */
export const ExecutorConfig = CommonConfig.extend({
  /** JetStream KV bucket and key of the global kill switch; any value in the key stops execution. */
  killSwitchBucket: z
    .string()
    .regex(/^[-\w]+$/)
    .default('opsloop_control'),
  killSwitchKey: z
    .string()
    .regex(/^[-/=.\w]+$/)
    .default('kill-switch'),
  /** How the approver's Kubernetes permission for each step is checked. */
  approverAccess: z.enum(['sar', 'impersonate']).default('sar'),
  /** Distinct approvers every plan needs at least, whatever its approvals say. */
  minApprovers: z.coerce.number().int().min(1).max(10).default(1),
  /** Approvals handled at once by this process (pull subscriptions on the shared durable). */
  concurrency: z.coerce.number().int().min(1).max(64).default(4),
  /** How long a delivery may go without a keep-alive before another replica gets it. */
  ackWaitMs: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  /** Deliveries of one approval before it is dead-lettered (a held or unreachable retry counts). */
  maxDeliver: z.coerce.number().int().min(2).max(100_000).default(2000),
  /** Longest wait between two tries of a held or failed approval. */
  retryMaxMs: z.coerce.number().int().min(100).max(300_000).default(5000),
  /** Protected namespaces (kube-system, ...) that an administrator allows anyway, comma separated. */
  allowProtectedNamespaces: z
    .string()
    .default('')
    .transform((s) =>
      s
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean),
    ),
  userAgent: z.string().min(1).max(200).default('opsloop-executor/0.1.0'),
  /** Test hook: pause this long between a step's write and its StepSucceeded (kill -9 tests). */
  testPauseAfterWriteMs: z.coerce.number().int().min(0).max(600_000).default(0),
});
export type ExecutorConfig = z.infer<typeof ExecutorConfig>;

export const EXECUTOR_SETTINGS: Setting[] = [
  {
    key: 'killSwitchBucket',
    flag: 'kill-switch-bucket',
    env: 'OPSLOOP_KILL_SWITCH_BUCKET',
    help: 'JetStream KV bucket of the kill switch (default opsloop_control)',
  },
  {
    key: 'killSwitchKey',
    flag: 'kill-switch-key',
    env: 'OPSLOOP_KILL_SWITCH_KEY',
    help: 'key of the kill switch in that bucket; any value stops all execution (default kill-switch)',
  },
  {
    key: 'approverAccess',
    flag: 'approver-access',
    env: 'OPSLOOP_APPROVER_ACCESS',
    help: 'sar (SubjectAccessReview per step, default) or impersonate (write as the approver)',
  },
  {
    key: 'minApprovers',
    flag: 'min-approvers',
    env: 'OPSLOOP_MIN_APPROVERS',
    help: 'distinct approvers every plan needs at least (default 1)',
  },
  {
    key: 'concurrency',
    flag: 'concurrency',
    env: 'OPSLOOP_EXECUTOR_CONCURRENCY',
    help: 'approvals handled at once (default 4)',
  },
  {
    key: 'ackWaitMs',
    flag: 'ack-wait-ms',
    env: 'OPSLOOP_EXECUTOR_ACK_WAIT_MS',
    help: 'redelivery to another replica after this long without a keep-alive (default 30000)',
  },
  {
    key: 'maxDeliver',
    flag: 'max-deliver',
    env: 'OPSLOOP_EXECUTOR_MAX_DELIVER',
    help: 'deliveries of one approval before it is dead-lettered (default 2000)',
  },
  {
    key: 'retryMaxMs',
    flag: 'retry-max-ms',
    env: 'OPSLOOP_EXECUTOR_RETRY_MAX_MS',
    help: 'longest wait between tries of a held or failed approval (default 5000)',
  },
  {
    key: 'allowProtectedNamespaces',
    flag: 'allow-protected-namespaces',
    env: 'OPSLOOP_ALLOW_PROTECTED_NAMESPACES',
    help: 'protected namespaces steps may touch anyway, comma separated',
  },
  {
    key: 'userAgent',
    flag: 'user-agent',
    env: 'OPSLOOP_EXECUTOR_USER_AGENT',
    help: 'User-Agent of every Kubernetes request (default opsloop-executor/0.1.0)',
  },
  {
    key: 'testPauseAfterWriteMs',
    flag: 'test-pause-after-write-ms',
    env: 'OPSLOOP_EXECUTOR_TEST_PAUSE_AFTER_WRITE_MS',
    help: 'test hook: pause between a write and its StepSucceeded (default 0)',
  },
];
