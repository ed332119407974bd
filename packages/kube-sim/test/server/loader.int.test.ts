// Loading YAML into a starting kube-sim: API kinds are created, simulation kinds go to their
// handlers, and every malformed document is reported before anything is created.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { SimLoadError, startKubeSim, type KObject } from '../../src/mod.ts';
import { findResource } from '../../src/resources.ts';
import { until } from '../helpers/kubectl.ts';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

describe('loading YAML', () => {
  it('creates API objects (namespaces first) and hands other kinds to their handlers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kube-sim-load-'));
    writeFileSync(
      join(dir, 'shop.yaml'),
      [
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg, namespace: shop}\ndata: {a: "1"}',
        'apiVersion: sim.opsloop.dev/v1\nkind: ImageBehavior\nmetadata: {name: shop/api}\nspec: {startupSeconds: 2}',
        'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}',
      ].join('\n---\n'),
    );
    const behaviours: KObject[] = [];
    const sim = await startKubeSim({
      port: 0,
      files: [dir],
      documentHandlers: { ImageBehavior: (doc) => void behaviours.push(doc) },
    });
    try {
      expect(sim.api.get(findResource('', 'v1', 'configmaps')!, 'shop', 'cfg')?.['data']).toEqual({
        a: '1',
      });
      expect(behaviours.map((b) => b.metadata.name)).toEqual(['shop/api']);
      expect(() =>
        sim.loadYaml('apiVersion: v1\nkind: Gadget\nmetadata: {name: g}\n', 'extra.yaml'),
      ).toThrow('extra.yaml: document 1: unknown kind "Gadget" in apiVersion "v1"');
      const before = sim.api.list(findResource('', 'v1', 'configmaps')!, 'shop').length;
      const bad =
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok, namespace: shop}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {namespace: shop}\n';
      expect(() => sim.loadYaml(bad, 'two.yaml')).toThrow(SimLoadError);
      expect(() => sim.loadYaml(bad, 'two.yaml')).toThrow(
        'two.yaml: document 2: missing "metadata.name"',
      );
      expect(sim.api.list(findResource('', 'v1', 'configmaps')!, 'shop')).toHaveLength(before);
      expect(() =>
        sim.loadYaml(
          'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: Bad_Name, namespace: shop}\n',
          'names.yaml',
        ),
      ).toThrow(
        /^names\.yaml: document 1 \(ConfigMap Bad_Name\): ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name"/,
      );
    } finally {
      await sim.stop();
    }
  });

  it('hands ImageBehavior documents in files to the kubelets by default', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kube-sim-behave-'));
    const file = join(dir, 'app.yaml');
    writeFileSync(
      file,
      `apiVersion: v1
kind: Node
metadata: {name: node-1}
---
apiVersion: sim.opsloop.dev/v1alpha1
kind: ImageBehavior
metadata: {name: greeter}
spec:
  image: registry.example.com/greeter:1.0
  logs: ['hello from the file-defined image']
---
apiVersion: v1
kind: Pod
metadata: {name: greeter, namespace: default}
spec:
  containers:
  - {name: app, image: registry.example.com/greeter:1.0}
`,
    );
    const sim = await startKubeSim({ port: 0, speed: 50, files: [file] });
    try {
      let logs: string[] = [];
      await until(
        () => {
          try {
            logs = sim.controllers!.hooks.logs('default', 'greeter', 'app', {});
          } catch {
            // Not started yet.
          }
          return logs.length > 0;
        },
        15_000,
        'the container to log',
      );
      expect(logs).toContain('hello from the file-defined image');
      await expect(startKubeSim({ port: 0, files: [join(dir, 'missing.yaml')] })).rejects.toThrow(
        'ENOENT',
      );
      const bad = join(dir, 'bad.yaml');
      writeFileSync(
        bad,
        'apiVersion: sim.opsloop.dev/v1alpha1\nkind: ImageBehavior\nmetadata: {name: x}\nspec: {}\n',
      );
      await expect(startKubeSim({ port: 0, files: [bad] })).rejects.toThrow(SimLoadError);
    } finally {
      await sim.stop();
    }
  });
});
