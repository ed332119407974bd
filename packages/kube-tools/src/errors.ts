import { ErrorCode, OpsError } from '@opsloop/contracts';

/**
 * The codes kube-tools raises: entries of contracts' one registry (ErrorCode), so they
 * travel in StepFailed/OperationFailed events with a meaning any reader can look up.
 */
export const KubeErrorCode = {
  Kubeconfig: ErrorCode.Kubeconfig,
  ClusterUnreachable: ErrorCode.ClusterUnreachable,
  KubeApi: ErrorCode.KubeApi,
  TargetDrifted: ErrorCode.TargetDrifted,
  TargetNotFound: ErrorCode.TargetNotFound,
  Precondition: ErrorCode.Precondition,
  InvalidArgs: ErrorCode.InvalidArgs,
  ProtectedNamespace: ErrorCode.ProtectedNamespace,
  UnknownAction: ErrorCode.UnknownAction,
  ClusterIdentity: ErrorCode.ClusterIdentity,
  StepMismatch: ErrorCode.StepMismatch,
} as const satisfies Record<string, ErrorCode>;

/** The kubeconfig cannot be used as given; the message says which file/context to fix. */
export class KubeconfigError extends OpsError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(KubeErrorCode.Kubeconfig, message, { details });
  }
}

export class ClusterUnreachableError extends OpsError {
  constructor(server: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      KubeErrorCode.ClusterUnreachable,
      `cannot reach the Kubernetes API server at ${server} (${reason}); check that it is running ` +
        'and that the kubeconfig points at the right address (kubectl cluster-info)',
      { retryable: true, cause, details: { server } },
    );
  }
}

/** The kube-system namespace (whose uid is the cluster's id) cannot be read. */
export class ClusterIdentityError extends OpsError {
  constructor(server: string, cause: unknown) {
    const status = cause instanceof KubeApiError ? cause.status : undefined;
    super(
      KubeErrorCode.ClusterIdentity,
      `cannot tell which cluster ${server} is: reading namespace kube-system failed (${cause instanceof Error ? cause.message : String(cause)}); ` +
        "the cluster's id is that namespace's uid, so this identity needs `get` on namespaces/kube-system",
      {
        retryable: status === undefined || status >= 500 || status === 429,
        cause,
        details: { server, status },
      },
    );
  }
}

/** A non-2xx answer from the API server, with its Status reason (NotFound, Conflict, ...). */
export class KubeApiError extends OpsError {
  readonly status: number;
  readonly reason: string;
  constructor(status: number, reason: string, message: string, path: string) {
    super(KubeErrorCode.KubeApi, `API ${status} ${reason} on ${path}: ${message}`, {
      retryable: status >= 500 || status === 429,
      details: { status, reason, path },
    });
    this.status = status;
    this.reason = reason;
  }
}

/**
 * The step's guard failed before any write: a guarded path (generation, desired state, a
 * value the step changes, the uid) no longer holds its planned value, or the target is
 * gone. Nothing was written; plan again. `changed` is that path (null: the target is gone),
 * `planned`/`live` the resourceVersions, for the audit trail only. The executor records it
 * as contracts' InvalidatePlan {actualResourceVersion: live, changedPath: changed}.
 */
export class DriftError extends OpsError {
  readonly changed: string | null;
  readonly live: string | null;
  constructor(target: string, planned: string, live: string | null, changed: string | null) {
    super(
      KubeErrorCode.TargetDrifted,
      `${target} changed since it was planned (${changed === null ? 'it no longer exists' : `${changed} differs from the plan`}; ` +
        `resourceVersion ${planned} then, ${live ?? 'gone'} now); nothing was written — plan again against the current state`,
      { details: { target, planned, live, changed } },
    );
    this.changed = changed;
    this.live = live;
  }
}

/**
 * A step whose stored target, patch or manifest is not what its action derives from its
 * args and the live object: forged or corrupted, never executed. Nothing was written. Not
 * drift (the cluster did not move); the executor refuses the step (OperationFailed).
 */
export class StepMismatchError extends OpsError {
  constructor(action: string, part: 'target' | 'patch' | 'diff', message: string) {
    super(
      KubeErrorCode.StepMismatch,
      `${action}: the step's ${part} is not what ${action} derives from its args and the live object (${message}); ` +
        'refusing to execute it, nothing was written',
      { details: { action, part } },
    );
  }
}

export class TargetNotFoundError extends OpsError {
  constructor(target: string) {
    super(KubeErrorCode.TargetNotFound, `${target} does not exist; check the name and namespace`, {
      details: { target },
    });
  }
}

/** The target exists but is not in a state the action can act on (the message says why). */
export class PreconditionError extends OpsError {
  constructor(action: string, message: string, details: Record<string, unknown> = {}) {
    super(KubeErrorCode.Precondition, `${action}: ${message}`, { details: { action, ...details } });
  }
}

export class InvalidArgsError extends OpsError {
  constructor(action: string, message: string, details: Record<string, unknown> = {}) {
    super(KubeErrorCode.InvalidArgs, `${action}: invalid arguments: ${message}`, {
      details: { action, ...details },
    });
  }
}

export class ProtectedNamespaceError extends OpsError {
  constructor(action: string, namespace: string) {
    super(
      KubeErrorCode.ProtectedNamespace,
      `${action}: namespace "${namespace}" is protected; an administrator must allow it in the policy`,
      { details: { action, namespace } },
    );
  }
}
