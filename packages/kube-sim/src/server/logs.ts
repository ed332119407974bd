/**
 * GET pods/{name}/log: resolves the container like the API server (the only one, or the
 * one named; several without a name is a 400), refuses containers that have not started,
 * and streams the lines from SimHooks, following when asked.
 */
import { badRequest, notFound } from '../api/errors.ts';
import type { KObject, LogOptions } from '../api/types.ts';
import type { Call, ServerContext } from './context.ts';
import { DEFAULT_HOOKS } from './default-hooks.ts';
import { intParam } from './params.ts';

interface ContainerStatus {
  name: string;
  state?: { waiting?: { reason?: string }; running?: object; terminated?: object };
}

export function resolveContainer(pod: KObject, requested: string | undefined): string {
  const spec = (pod['spec'] ?? {}) as {
    containers?: { name: string }[];
    initContainers?: { name: string }[];
  };
  const names = (spec.containers ?? []).map((c) => c.name);
  const all = [...names, ...(spec.initContainers ?? []).map((c) => c.name)];
  const name = pod.metadata.name;
  if (requested) {
    if (!all.includes(requested))
      throw badRequest(`container ${requested} is not valid for pod ${name}`);
    return requested;
  }
  if (names.length === 1) return names[0]!;
  throw badRequest(
    `a container name must be specified for pod ${name}, choose one of: [${names.join(' ')}]`,
  );
}

/** The API server refuses logs of a container that has no started instance yet. */
export function checkStarted(pod: KObject, container: string): void {
  const status = (pod['status'] ?? {}) as {
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
  };
  const all = [...(status.containerStatuses ?? []), ...(status.initContainerStatuses ?? [])];
  const found = all.find((s) => s.name === container);
  const waiting = found === undefined ? { reason: 'ContainerCreating' } : found.state?.waiting;
  if (waiting && !found?.state?.running && !found?.state?.terminated) {
    const reason = waiting.reason ?? 'ContainerCreating';
    throw badRequest(
      `container "${container}" in pod "${pod.metadata.name}" is waiting to start: ${reason}`,
    );
  }
}

function optionsOf(call: Call): LogOptions {
  const q = call.query;
  const options: LogOptions = {};
  const container = q.get('container');
  if (container) options.container = container;
  if (q.get('previous') === 'true') options.previous = true;
  if (q.get('timestamps') === 'true') options.timestamps = true;
  const tail = intParam(call, 'tailLines');
  if (tail !== undefined) options.tailLines = tail;
  const since = intParam(call, 'sinceSeconds');
  if (since !== undefined) options.sinceSeconds = since;
  const limit = intParam(call, 'limitBytes');
  if (limit !== undefined) options.limitBytes = limit;
  return options;
}

export function handleLogs(ctx: ServerContext, call: Call): void {
  const { namespace, name } = call.info;
  const pod = ctx.cluster.get(call.resource, namespace, name!);
  if (!pod) throw notFound(call.resource, name!);
  const options = optionsOf(call);
  const container = resolveContainer(pod, options.container);
  // The simulated kubelet answers "waiting to start" itself (it knows whether a previous
  // instance exists and why the container waits); without it, the API server checks status.
  if (!options.previous && ctx.hooks === DEFAULT_HOOKS) checkStarted(pod, container);
  const lines = ctx.hooks.logs(namespace!, name!, container, options);
  let budget = options.limitBytes ?? Infinity;
  const res = call.res;
  const emit = (line: string): boolean => {
    if (budget <= 0) return false;
    const text = `${line}\n`;
    const bytes = Buffer.from(text);
    const chunk = bytes.length > budget ? bytes.subarray(0, budget) : bytes;
    budget -= chunk.length;
    res.write(chunk);
    return budget > 0;
  };
  res.writeHead(200, {
    'Content-Type': 'text/plain',
    'Transfer-Encoding': 'chunked',
    'Cache-Control': 'no-cache, private',
  });
  res.flushHeaders();
  for (const line of lines) if (!emit(line)) break;
  if (call.query.get('follow') !== 'true' || budget <= 0) {
    res.end();
    return;
  }
  const stop = ctx.hooks.followLogs(
    namespace!,
    name!,
    container,
    options,
    (line) => {
      if (!emit(line)) res.end();
    },
    () => res.end(),
  );
  res.on('close', stop);
}
