import { OpsError } from '@opsloop/contracts';
import { READ_TOOLS, type Cluster, type ToolOutput } from '@opsloop/kube-tools';
import type { Budget } from './context.ts';
import { toolCall } from './spans.ts';

export const READ_TOOL_ERRORS = {
  UnknownTool: 'OPS_ERR_UNKNOWN_TOOL',
  InvalidToolArgs: 'OPS_ERR_INVALID_TOOL_ARGS',
  OverBudget: 'OPS_ERR_CONTEXT_BUDGET',
} as const;

/** Runs one of kube-tools' read tools by name for a strategy (a model's tool call). */
export type ReadToolRunner = (name: string, args: unknown) => Promise<ToolOutput>;

/**
 * The read tools a strategy may call, each validated by its own schema, counted against
 * the request's bound and run in a child span. Namespaces outside `allowed` are refused:
 * a strategy reads only what the request is about. Errors are typed, so a model can be told
 * what went wrong instead of the planner crashing.
 */
export function readToolRunner(
  cluster: Cluster,
  budget: Budget,
  allowed: readonly string[],
): ReadToolRunner {
  return async (name, args) => {
    const tool = Object.hasOwn(READ_TOOLS, name) ? READ_TOOLS[name] : undefined;
    if (!tool) {
      throw new OpsError(
        READ_TOOL_ERRORS.UnknownTool,
        `no read tool "${name}" (tools: ${Object.keys(READ_TOOLS).join(', ')})`,
      );
    }
    const parsed = tool.schema.safeParse(args);
    if (!parsed.success) {
      const why = parsed.error.issues
        .map((i) => `${i.path.join('.') || '(args)'}: ${i.message}`)
        .join('; ');
      throw new OpsError(READ_TOOL_ERRORS.InvalidToolArgs, `invalid arguments for ${name}: ${why}`);
    }
    const namespace = (parsed.data as { namespace?: unknown }).namespace;
    if (typeof namespace === 'string' && !allowed.includes(namespace)) {
      throw new OpsError(
        READ_TOOL_ERRORS.InvalidToolArgs,
        `${name} may read only namespace ${allowed.join(', ')}, not ${namespace}`,
      );
    }
    if (!budget.allows(1)) {
      throw new OpsError(
        READ_TOOL_ERRORS.OverBudget,
        "the request's bound on API calls or bytes is spent; answer with what is known",
      );
    }
    return toolCall(
      name,
      typeof namespace === 'string' ? { 'k8s.namespace.name': namespace } : {},
      () => tool.run(parsed.data as never, cluster),
    );
  };
}
