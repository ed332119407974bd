import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';

const run = promisify(execFile);

/** deploy/ itself. */
export const DEPLOY_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface KubeDoc {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [key: string]: unknown;
}

/**
 * Runs the real kubectl on PATH with a HOME of its own (kubectl caches discovery there,
 * and a developer's kubeconfig must never be touched by a test).
 */
export async function kubectl(
  args: string[],
  options: { input?: string; home?: string } = {},
): Promise<{ stdout: string; stderr: string }> {
  const home = options.home ?? mkdtempSync(join(tmpdir(), 'opsloop-kubectl-'));
  try {
    const child = run('kubectl', args, {
      env: { ...process.env, HOME: home, KUBECONFIG: '' },
      maxBuffer: 32 * 1024 * 1024,
    });
    if (options.input !== undefined) {
      child.child.stdin?.end(options.input);
    }
    return await child;
  } finally {
    if (options.home === undefined) rmSync(home, { recursive: true, force: true });
  }
}

/** `kubectl kustomize deploy/<path>`: the YAML a user would apply. */
export async function render(path: string): Promise<string> {
  return (await kubectl(['kustomize', join(DEPLOY_DIR, path)])).stdout;
}

export function parseDocs(text: string): KubeDoc[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as KubeDoc | null)
    .filter((d): d is KubeDoc => d !== null);
}

export function find(docs: KubeDoc[], kind: string, name: string): KubeDoc {
  const doc = docs.find((d) => d.kind === kind && d.metadata.name === name);
  if (doc === undefined) throw new Error(`no ${kind} ${name} in the rendered manifests`);
  return doc;
}
