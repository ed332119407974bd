/** Runs the real kubectl on PATH against a kube-sim, with a fresh HOME (discovery cache) per test. */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeSim } from '../../src/mod.ts';

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class Kubectl {
  readonly home: string;
  readonly kubeconfig: string;

  constructor(sim: KubeSim, user = 'admin') {
    this.home = mkdtempSync(join(tmpdir(), 'kube-sim-kubectl-'));
    this.kubeconfig = join(this.home, 'kubeconfig');
    writeFileSync(this.kubeconfig, sim.kubeconfig(user));
  }

  private args(args: string[]): string[] {
    return ['--kubeconfig', this.kubeconfig, '--cache-dir', join(this.home, 'cache'), ...args];
  }

  run(args: string[], input?: string): Promise<KubectlResult> {
    return new Promise((resolve) => {
      const child = execFile(
        'kubectl',
        this.args(args),
        { env: { ...process.env, HOME: this.home }, timeout: 30_000 },
        (error, stdout, stderr) => {
          const code = error ? ((error as { code?: number }).code ?? 1) : 0;
          resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
        },
      );
      if (input !== undefined) child.stdin!.end(input);
    });
  }

  /** Runs and throws with kubectl's stderr when it fails. */
  async ok(args: string[], input?: string): Promise<string> {
    const result = await this.run(args, input);
    if (result.code !== 0)
      throw new Error(`kubectl ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
    return result.stdout;
  }

  spawn(args: string[]): { child: ChildProcess; output: () => string } {
    const child = spawn('kubectl', this.args(args), { env: { ...process.env, HOME: this.home } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    return { child, output: () => out };
  }
}

export async function until(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}
