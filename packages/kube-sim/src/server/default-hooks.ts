/**
 * SimHooks for a cluster without simulated workloads: containers produce no log lines, and
 * a service has no ready endpoints, so the proxy answers the real server's 503.
 */
import { ApiError } from '../api/errors.ts';
import type { SimHooks } from '../api/types.ts';

export const DEFAULT_HOOKS: SimHooks = {
  logs: () => [],
  followLogs: () => () => {},
  proxy: (_namespace, service) => {
    throw new ApiError(
      503,
      'ServiceUnavailable',
      `no endpoints available for service "${service}"`,
    );
  },
};
