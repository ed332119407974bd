import { parseArgs } from 'node:util';
import { analyzeSnapshot } from '../analyzers/run.ts';
import { loadClusterScoped, loadSnapshot } from '../analyzers/snapshot.ts';
import type { Unreadable } from '../analyzers/snapshot.ts';
import type { Finding } from '../analyzers/types.ts';
import { SEVERITY_RANK } from '../analyzers/types.ts';
import { connectCluster } from '../cluster.ts';
import type { Cluster, ConnectOptions } from '../cluster.ts';
import { ClusterUnreachableError, KubeApiError, KubeconfigError } from '../errors.ts';
import { Namespace } from '../validation.ts';
import { findingJson, formatReport } from './format.ts';

export const DIAGNOSE_USAGE = `usage: opsloop diagnose [--kubeconfig FILE] [--context NAME] [--namespace NS | -A] [--json]

Runs every analyzer over a namespace (or all namespaces with -A) and prints findings with
evidence and proposed typed fixes. Never changes the cluster.
Exit status: 0 no finding of severity warning or worse and everything readable, 1 otherwise
(a kind the identity may not list is reported as "could not read pods: forbidden"), 2 usage or
kubeconfig error.`;

export interface DiagnoseOptions {
  kubeconfigPath?: string;
  context?: string;
  namespace?: string;
  allNamespaces: boolean;
  json: boolean;
  help: boolean;
}

class UsageError extends Error {}

const FLAGS = {
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  namespace: { type: 'string', short: 'n' },
  'all-namespaces': { type: 'boolean', short: 'A', default: false },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** node:util parseArgs, like every opsloop command; a usage error names the flag. */
export function parseDiagnoseArgs(argv: string[]): DiagnoseOptions {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: FLAGS, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  for (const flag of ['kubeconfig', 'context', 'namespace'] as const)
    if (values[flag] === '') throw new UsageError(`--${flag} needs a value`);
  const options: DiagnoseOptions = {
    allNamespaces: values['all-namespaces'],
    json: values.json,
    help: values.help,
  };
  if (values.kubeconfig !== undefined) options.kubeconfigPath = values.kubeconfig;
  if (values.context !== undefined) options.context = values.context;
  if (values.namespace !== undefined) options.namespace = values.namespace;
  if (options.allNamespaces && options.namespace !== undefined)
    throw new UsageError('give either --namespace or -A, not both');
  if (options.namespace !== undefined && !Namespace.safeParse(options.namespace).success)
    throw new UsageError(`"${options.namespace}" is not a valid namespace name`);
  return options;
}

export interface DiagnoseResult {
  byNamespace: Map<string, Finding[]>;
  /** Per namespace, the kinds that could not be read (their findings are unknown, not absent). */
  unreadable: Map<string, Unreadable[]>;
}

/** Read-only: lists and gets only. */
export async function diagnose(
  cluster: Cluster,
  namespaces: string[],
  progress?: (i: number, n: number, ns: string) => void,
): Promise<DiagnoseResult> {
  const shared = await loadClusterScoped(cluster);
  const byNamespace = new Map<string, Finding[]>();
  const unreadable = new Map<string, Unreadable[]>();
  for (const [i, ns] of namespaces.entries()) {
    progress?.(i + 1, namespaces.length, ns);
    const snapshot = await loadSnapshot(cluster, ns, shared);
    byNamespace.set(ns, analyzeSnapshot(snapshot));
    if (snapshot.unreadable.length) unreadable.set(ns, snapshot.unreadable);
  }
  return { byNamespace, unreadable };
}

export async function runDiagnoseCommand(
  argv: string[],
  io: {
    stdout?: NodeJS.WritableStream;
    stderr?: NodeJS.WriteStream | NodeJS.WritableStream;
    env?: NodeJS.ProcessEnv;
  } = {},
): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const say = (text: string) => stderr.write(`${text}\n`);
  let options: DiagnoseOptions;
  try {
    options = parseDiagnoseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    say(`opsloop diagnose: ${error.message}\n${DIAGNOSE_USAGE}`);
    return 2;
  }
  if (options.help) {
    stdout.write(`${DIAGNOSE_USAGE}\n`);
    return 0;
  }
  try {
    const connect: ConnectOptions = { env: io.env ?? process.env };
    if (options.kubeconfigPath !== undefined) connect.kubeconfigPath = options.kubeconfigPath;
    if (options.context !== undefined) connect.context = options.context;
    const cluster = await connectCluster(connect);
    const namespaces = options.allNamespaces
      ? (await cluster.list('Namespace', null))
          .map((n) => n.metadata.name)
          .filter((n) => n !== 'kube-node-lease')
          .sort()
      : [
          options.namespace ??
            cluster.kubeConfig.getContextObject(cluster.contextName)?.namespace ??
            'default',
        ];
    const tty = (stderr as NodeJS.WriteStream).isTTY === true;
    const progress = tty
      ? (i: number, n: number, ns: string) =>
          stderr.write(`\r\x1b[Kdiagnosing namespace ${i}/${n}: ${ns}`)
      : undefined;
    const { byNamespace, unreadable } = await diagnose(cluster, namespaces, progress);
    if (tty) stderr.write('\r\x1b[K');
    const all = [...byNamespace.values()].flat();
    // What could not be read is said, never reported as healthy: exit 1 like a finding.
    const blind = [...unreadable].map(
      ([ns, kinds]) =>
        `Namespace ${ns}: ${kinds.map((u) => `could not read ${u.resource}: ${u.reason}`).join('; ')}`,
    );
    if (options.json) {
      // `unreadable` appears only when something was: a fully readable run keeps the shape.
      const report = blind.length
        ? { findings: all.map(findingJson), unreadable: Object.fromEntries(unreadable) }
        : { findings: all.map(findingJson) };
      stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    } else {
      stdout.write(formatReport(byNamespace));
      if (blind.length) stdout.write(`\n${blind.join('\n')}\n`);
    }
    if (blind.length) return 1;
    return all.some((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK.warning) ? 1 : 0;
  } catch (error) {
    if (error instanceof KubeconfigError || error instanceof ClusterUnreachableError) {
      say(`opsloop diagnose: ${error.message}`);
      return 2;
    }
    if (error instanceof KubeApiError && (error.status === 401 || error.status === 403)) {
      say(
        `opsloop diagnose: ${error.message}; the kubeconfig's user needs read access (get/list) to the namespace`,
      );
      return 2;
    }
    throw error;
  }
}
