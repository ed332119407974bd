/** `opsloop sim`: start kube-sim, print how to reach it, run until SIGINT/SIGTERM. */
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { startKubeSim, type KubeSim } from '../kube-sim.ts';
import { SimLoadError } from '../loader/yaml.ts';
import type { UserSpec } from '../server/auth.ts';
import { parseSimArgs, simUsage, UsageError, type SimCommandOptions } from './options.ts';
import { readUsersFile } from './users.ts';

/** Where `opsloop sim` writes the admin kubeconfig by default (git-ignored). */
export const DEFAULT_KUBECONFIG = '.opsloop/kubeconfig';

/** Greedy word wrap to `width` columns, continuation lines indented by `indent`. */
function wrap(text: string, width: number, indent: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line === '' ? word : `${line} ${word}`;
    if (next.length > width && line !== '') {
      lines.push(line);
      line = `${indent}${word}`;
    } else line = next;
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** What the sim prints at start; every line fits an 80-column terminal (paths permitting). */
function banner(sim: KubeSim, options: SimCommandOptions, kubeconfig: string): string[] {
  const scenario = sim.scenario;
  return [
    `kube-sim listening on ${sim.url}${sim.controllers ? '' : ' (API server only)'}`,
    `kubeconfig: ${kubeconfig}`,
    ...(options.kubeconfigDir
      ? [`user kubeconfigs: ${options.kubeconfigDir}/<user>.kubeconfig`]
      : []),
    ...(scenario ? wrap(`scenario ${scenario.name}: ${scenario.spec.summary}`, 79, '  ') : []),
    'next:',
    `  kubectl --kubeconfig ${kubeconfig} get pods -A`,
    `  npx opsloop diagnose --kubeconfig ${kubeconfig}${scenario ? ` -n ${scenario.spec.namespace}` : ''}`,
    'Ctrl-C stops it.',
  ];
}

/** An error for a person (one line) or, with --json, for a script (`{"error": …}`). */
function fail(json: boolean, message: string, code: number): number {
  console.error(
    json ? JSON.stringify({ error: { message, exitCode: code } }) : `opsloop sim: ${message}`,
  );
  return code;
}

export async function runSimCommand(argv: string[]): Promise<number> {
  let options: SimCommandOptions;
  try {
    options = parseSimArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) return fail(argv.includes('--json'), error.message, 2);
    throw error;
  }
  if (options.help) {
    console.log(simUsage());
    return 0;
  }
  let sim: KubeSim;
  let users: UserSpec[] = [];
  try {
    if (options.usersFile) users = readUsersFile(options.usersFile);
    // The scenario, files and users are all read before the port opens: a bad one stops the start.
    sim = await startKubeSim({
      port: options.port,
      host: options.host,
      files: options.files,
      rbac: options.rbac,
      speed: options.speed,
      users,
      ...(options.scenario ? { scenario: options.scenario } : {}),
      ...(options.nodes !== undefined ? { nodes: options.nodes } : {}),
      ...(options.statePath ? { statePath: options.statePath } : {}),
      ...(options.auditLogPath ? { auditLogPath: options.auditLogPath } : {}),
    });
  } catch (error) {
    return startFailure(error, options);
  }
  // Later revisions wait for the cluster to settle; the command must not wait for them.
  sim.scenarioApplied.catch((error: unknown) => {
    fail(options.json, error instanceof Error ? error.message : String(error), 1);
  });
  const shown = options.kubeconfigOut ?? DEFAULT_KUBECONFIG;
  const kubeconfigPath = resolve(shown);
  mkdirSync(dirname(kubeconfigPath), { recursive: true });
  sim.writeKubeconfig(kubeconfigPath);
  if (options.kubeconfigDir) {
    mkdirSync(options.kubeconfigDir, { recursive: true });
    for (const user of ['admin', ...users.map((u) => u.username)])
      sim.writeKubeconfig(join(options.kubeconfigDir, `${user}.kubeconfig`), user);
  }
  if (options.json) {
    console.log(
      JSON.stringify({
        event: 'started',
        url: sim.url,
        kubeconfig: kubeconfigPath,
        ...(options.kubeconfigDir ? { kubeconfigDir: resolve(options.kubeconfigDir) } : {}),
        scenario: sim.scenario
          ? { name: sim.scenario.name, namespace: sim.scenario.spec.namespace }
          : null,
        apiServerOnly: !sim.controllers,
      }),
    );
  } else console.log(banner(sim, options, shown).join('\n'));
  await new Promise<void>((done) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await sim.stop();
  if (options.json)
    console.log(JSON.stringify({ event: 'stopped', statePath: options.statePath ?? null }));
  else if (options.statePath) console.log(`state saved to ${options.statePath}`);
  return 0;
}

/** The exit code and message for a start that failed; unexpected errors propagate. */
function startFailure(error: unknown, options: SimCommandOptions): number {
  if (error instanceof SimLoadError) return fail(options.json, error.message, 2);
  const code = (error as { code?: string }).code;
  if (code === 'EADDRINUSE')
    return fail(
      options.json,
      `port ${options.port} is in use; pass --port N (0 picks a free port)`,
      1,
    );
  if (code === 'ENOENT') return fail(options.json, (error as Error).message, 2);
  throw error;
}
