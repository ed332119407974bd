import { describeObject, getObject, listObjects } from './object-tools.ts';
import {
  canI,
  listEvents,
  namespaceHealth,
  nodeSummary,
  podLogs,
  quotaUsage,
  serviceAnalysis,
} from './namespace-tools.ts';
import type { ReadTool } from './types.ts';

export const READ_TOOLS = Object.freeze(
  Object.fromEntries(
    [
      getObject,
      listObjects,
      describeObject,
      podLogs,
      listEvents,
      namespaceHealth,
      serviceAnalysis,
      nodeSummary,
      quotaUsage,
      canI,
    ].map((t) => [t.name, t as ReadTool<never>]),
  ),
) as Readonly<Record<string, ReadTool<never>>>;
