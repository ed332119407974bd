/** `opsloop sim`: start kube-sim, print how to reach it, run until SIGINT/SIGTERM. */
import { resolve } from 'node:path';
import { startKubeSim, type KubeSim } from '../kube-sim.ts';
import { SimLoadError, type DocumentHandler } from '../loader/yaml.ts';
import { parseSimArgs, simUsage, UsageError, type SimCommandOptions } from './options.ts';

/** Called with the started sim before the command waits for a signal (for extensions like scenarios). */
export type SimStartHook = (sim: KubeSim, options: SimCommandOptions) => Promise<void> | void;
export const SIM_START_HOOKS: SimStartHook[] = [];
/** Handlers for non-API document kinds in FILES (e.g. ImageBehavior), registered before loading. */
export const SIM_DOCUMENT_HANDLERS: Record<string, DocumentHandler> = {};

export async function runSimCommand(argv: string[]): Promise<number> {
  let options: SimCommandOptions;
  try {
    options = parseSimArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`opsloop sim: ${error.message}`);
      return 2;
    }
    throw error;
  }
  if (options.help) {
    console.log(simUsage());
    return 0;
  }
  let sim: KubeSim;
  try {
    sim = await startKubeSim({
      port: options.port,
      host: options.host,
      files: options.files,
      rbac: options.rbac,
      speed: options.speed,
      documentHandlers: SIM_DOCUMENT_HANDLERS,
      ...(options.statePath ? { statePath: options.statePath } : {}),
      ...(options.auditLogPath ? { auditLogPath: options.auditLogPath } : {}),
    });
    for (const hook of SIM_START_HOOKS) await hook(sim, options);
  } catch (error) {
    if (error instanceof SimLoadError) {
      console.error(`opsloop sim: ${error.message}`);
      return 2;
    }
    const code = (error as { code?: string }).code;
    if (code === 'EADDRINUSE') {
      console.error(
        `opsloop sim: port ${options.port} is in use; pass --port N (0 picks a free port)`,
      );
      return 1;
    }
    if (code === 'ENOENT') {
      console.error(`opsloop sim: ${(error as Error).message}`);
      return 2;
    }
    throw error;
  }
  const kubeconfigPath = resolve(options.kubeconfigOut ?? 'kube-sim.kubeconfig');
  sim.writeKubeconfig(kubeconfigPath);
  console.log(`kube-sim listening on ${sim.url}`);
  console.log(`kubeconfig: ${kubeconfigPath}`);
  console.log(`try: kubectl --kubeconfig ${kubeconfigPath} get pods -A`);
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
  if (options.statePath) console.log(`state saved to ${options.statePath}`);
  return 0;
}
