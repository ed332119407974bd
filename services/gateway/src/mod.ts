/** @opsloop/gateway: the HTTP API users talk to (operations, live events, approvals). */
export { build, type GatewayOptions } from './app.ts';
export { loadGatewayUsers, startGateway, streamReady, type RunningGateway } from './gateway.ts';
export { GatewayConfig, GATEWAY_SETTINGS } from './config.ts';
export { generateEmbeddedUsers, type Credential, type EmbeddedUsers } from './users/embedded.ts';
export { loadUsersFile, parseUsersFile } from './users/load.ts';
export { UsersFile, Role } from './users/schema.ts';
export { hashToken, newToken, verifyToken } from './users/tokens.ts';
export { defaultKubernetesIdentity, type Identity } from './users/directory.ts';
export { DEFAULT_APPROVAL_POLICY, type ApprovalPolicy } from './approvals/policy.ts';
export { STATUSES, statusOf, type Status } from './model/status.ts';
export { OperationStore, OPERATION_VIEW_BUCKET } from './model/store.ts';
export { applyToView } from './model/apply.ts';
export { emptyView, type OperationView } from './model/view.ts';
export { reviewPlanAccess, describeDenial, type StepAccessReview } from './kube/access.ts';
export { ApiCode, ApiError, type ErrorBody } from './errors.ts';
