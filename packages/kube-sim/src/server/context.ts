/** What every HTTP handler gets: the cluster, the hooks, and one parsed request. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Cluster } from '../api/cluster.ts';
import type { Authorizer, SimHooks } from '../api/types.ts';
import type { Authorizer as RbacAuthorizer } from '../rbac/mod.ts';
import type { ResourceType } from '../resources.ts';
import type { AuditLog } from './audit.ts';
import type { Authenticator, Identity } from './auth.ts';
import type { Extensions } from './extensions.ts';
import type { MetricsSource } from './metrics.ts';
import type { RequestInfo } from './request-info.ts';

export interface ServerContext {
  cluster: Cluster;
  hooks: SimHooks;
  extensions: Extensions;
  audit: AuditLog;
  authorizer: Authorizer | undefined;
  /** The authorizer for reviews even when enforcement is off. */
  reviewAuthorizer: RbacAuthorizer;
  bookmarkIntervalMs: number;
  serverAddress: () => string;
  /** Open watch responses, so the sim can drop them all (an API server restart). */
  activeWatches: Set<ServerResponse>;
  authn: Authenticator;
  /** metrics.k8s.io usage, while the simulated cluster runs. */
  metrics?: MetricsSource;
}

export interface Call {
  req: IncomingMessage;
  res: ServerResponse;
  info: RequestInfo;
  resource: ResourceType;
  query: URLSearchParams;
  identity: Identity;
  body: Buffer;
  /** Filled by handlers for the audit entry. */
  audit: { patchType?: string; fieldManager?: string; dryRun: boolean };
}
