import { describe, expect, it } from 'vitest';
import { emptySnapshot } from '../src/mod.ts';
import type { KubeObject, Snapshot } from '../src/mod.ts';
import { claimClassFix } from '../src/analyzers/claim-class.ts';

const claim: KubeObject = {
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name: 'cache', namespace: 'team', uid: 'c-1' },
  spec: { storageClassName: 'nvme-local', resources: { requests: { storage: '5Gi' } } },
  status: { phase: 'Pending' },
};

const sc = (name: string, parameters: Record<string, string> = {}, isDefault = false) =>
  ({
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: {
      name,
      ...(isDefault
        ? { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }
        : {}),
    },
    parameters,
  }) as KubeObject;

const with_ = (classes: KubeObject[]): Snapshot => ({
  ...emptySnapshot('team'),
  storageClasses: classes,
});

const picked = (s: Snapshot, pvc = claim) =>
  claimClassFix(s, pvc, 'nvme-local').map((r) => r.args.storageClassName);

describe('the class a never-bound claim is recreated with', () => {
  it('the one class sharing a word with the class asked for, in its name or parameters', () => {
    expect(picked(with_([sc('gp3', {}, true), sc('fast', { disk: 'nvme' })]))).toEqual(['fast']);
    expect(picked(with_([sc('gp3', {}, true), sc('local-path')]))).toEqual(['local-path']);
  });

  it('else the one default class; else nothing', () => {
    expect(picked(with_([sc('gp3', {}, true), sc('slow')]))).toEqual(['gp3']);
    expect(picked(with_([sc('gp3'), sc('slow')]))).toEqual([]);
    expect(picked(with_([sc('a', { disk: 'nvme' }), sc('b', { disk: 'nvme' }, true)]))).toEqual([]);
  });

  it('never for a claim that bound', () => {
    const bound = { ...claim, spec: { ...claim.spec, volumeName: 'pv-1' } };
    expect(picked(with_([sc('gp3', {}, true)]), bound)).toEqual([]);
  });
});
