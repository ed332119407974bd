/** @opsloop/executor: the only Opsloop component that writes to the cluster. */
export {
  startExecutor,
  EXECUTOR_CONSUMER,
  type ExecutorOptions,
  type RunningExecutor,
} from './executor.ts';
export { ExecutorConfig, EXECUTOR_SETTINGS } from './config.ts';
export {
  judgeApproval,
  RefusalCode,
  type ApprovalVerdict,
  type ApprovalPolicy,
} from './approval.ts';
export { handleApproval, errorInfo, ExecutionHeldError, type ExecutorContext } from './execute.ts';
export { KillSwitch, type SwitchState } from './kill-switch.ts';
export { reviewApproverAccess, type KubernetesIdentity, type AccessVerdict } from './access.ts';
