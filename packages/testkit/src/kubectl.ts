import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBinary } from './find-binary.ts';

export interface KubectlResult {
  /** kubectl's exit code (1 when it could not be started or timed out). */
  code: number;
  stdout: string;
  stderr: string;
}

/** The kubectl on PATH (`KUBECTL` overrides), with a message saying how to get one. */
export function kubectlBinary(): string {
  const binary = process.env.KUBECTL ?? findBinary('kubectl');
  if (!binary)
    throw new Error(
      'kubectl is not on PATH; install it (apt-get install -y kubernetes-client) or set KUBECTL',
    );
  return binary;
}

/**
 * The real kubectl against one kubeconfig (e.g. `sim.kubeconfig('bob')`), with a fresh
 * HOME and discovery cache of its own: kubectl caches discovery per server in
 * ~/.kube/cache, and a cache left by another test (another kube-sim on the same port)
 * would answer for this one. The user's own ~/.kube/config is never read.
 */
export class Kubectl {
  readonly home: string;
  readonly kubeconfig: string;
  private readonly binary = kubectlBinary();

  constructor(kubeconfigText: string) {
    this.home = mkdtempSync(join(tmpdir(), 'opsloop-kubectl-'));
    this.kubeconfig = join(this.home, 'kubeconfig');
    writeFileSync(this.kubeconfig, kubeconfigText, { mode: 0o600 });
  }

  private args(args: readonly string[]): string[] {
    return ['--kubeconfig', this.kubeconfig, '--cache-dir', join(this.home, 'cache'), ...args];
  }

  private env(): NodeJS.ProcessEnv {
    return { ...process.env, HOME: this.home, KUBECONFIG: this.kubeconfig };
  }

  /** Runs kubectl to the end; never throws for a non-zero exit (the code says it). */
  run(args: readonly string[], input?: string, timeoutMs = 60_000): Promise<KubectlResult> {
    return new Promise((resolve) => {
      const child = execFile(
        this.binary,
        this.args(args),
        { env: this.env(), timeout: timeoutMs, maxBuffer: 32 * 1024 * 1024 },
        (error, stdout, stderr) => {
          const code = error ? (error as { code?: unknown }).code : 0;
          resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
        },
      );
      child.stdin!.end(input);
    });
  }

  /** Runs kubectl and returns stdout; throws with kubectl's stderr when it fails. */
  async ok(args: readonly string[], input?: string): Promise<string> {
    const result = await this.run(args, input);
    if (result.code !== 0)
      throw new Error(`kubectl ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
    return result.stdout;
  }

  /** A long-running kubectl (get -w, logs -f, exec); stdout and stderr interleaved in output(). */
  spawn(args: readonly string[]): { child: ChildProcess; output: () => string } {
    const child = spawn(this.binary, this.args(args), { env: this.env() });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    return { child, output: () => out };
  }

  /** Deletes the HOME, kubeconfig and cache. */
  cleanup(): void {
    rmSync(this.home, { recursive: true, force: true });
  }
}
