import { describe, expect, it } from 'vitest';
import type { KObject } from '../../src/api/types.ts';
import { applyDefaults } from '../../src/validation/defaults.ts';
import { validateObject } from '../../src/validation/validate.ts';

const deployment = (
  name: string,
  selector: Record<string, string>,
  labels: Record<string, string>,
): KObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    selector: { matchLabels: selector },
    template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'nginx' }] } },
  },
});

describe('validation messages', () => {
  it('rejects an invalid name with the RFC 1123 wording', () => {
    const causes = validateObject(deployment('Foo', { app: 'a' }, { app: 'a' }), undefined);
    expect(causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'metadata.name',
        message:
          "Invalid value: \"Foo\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      },
    ]);
  });
  it('requires containers on a pod', () => {
    const causes = validateObject(
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: {} },
      undefined,
    );
    expect(causes).toEqual([
      { reason: 'FieldValueRequired', field: 'spec.containers', message: 'Required value' },
    ]);
  });
  it('reports a selector that does not match the template labels', () => {
    const causes = validateObject(deployment('web', { app: 'web' }, { app: 'other' }), undefined);
    expect(causes.map((c) => `${c.field}: ${c.message}`)).toEqual([
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`',
    ]);
  });
  it('keeps the Deployment selector and Job template immutable', () => {
    const old = deployment('web', { app: 'web' }, { app: 'web', v: '1' });
    const changed = deployment('web', { app: 'web', v: '1' }, { app: 'web', v: '1' });
    expect(validateObject(changed, old).map((c) => c.field)).toEqual(['spec.selector']);
    const job = (image: string): KObject => ({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'j' },
      spec: { template: { spec: { containers: [{ name: 'c', image }] } } },
    });
    const causes = validateObject(job('b'), job('a'));
    expect(causes[0]!.field).toBe('spec.template');
    expect(causes[0]!.message).toMatch(/field is immutable$/);
  });
  it('refuses to change a Service clusterIP', () => {
    const svc = (ip: string): KObject => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's' },
      spec: { type: 'ClusterIP', clusterIP: ip, ports: [{ port: 80 }] },
    });
    expect(validateObject(svc('10.96.0.9'), svc('10.96.0.8'))[0]).toMatchObject({
      field: 'spec.clusterIPs[0]',
      message: 'Invalid value: ["10.96.0.9"]: may not change once set',
    });
  });
});

describe('defaulting', () => {
  it('defaults pods like the API server', () => {
    const pod: KObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: {
        containers: [
          { name: 'a', image: 'nginx' },
          { name: 'b', image: 'redis:7' },
        ],
      },
    };
    applyDefaults(pod, () => '10.96.0.5');
    expect(pod['spec']).toMatchObject({
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
      terminationGracePeriodSeconds: 30,
    });
    const containers = (pod['spec'] as { containers: Record<string, unknown>[] }).containers;
    expect(containers.map((c) => c['imagePullPolicy'])).toEqual(['Always', 'IfNotPresent']);
    expect(containers[0]).toMatchObject({
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
    });
  });
  it('allocates a cluster IP and defaults service ports', () => {
    const svc: KObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's' },
      spec: { ports: [{ port: 80 }] },
    };
    applyDefaults(svc, () => '10.96.0.5');
    expect(svc['spec']).toMatchObject({
      type: 'ClusterIP',
      clusterIP: '10.96.0.5',
      sessionAffinity: 'None',
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
    });
  });
  it('defaults deployments and jobs', () => {
    const d = deployment('web', { app: 'a' }, { app: 'a' });
    applyDefaults(d, () => '');
    expect(d['spec']).toMatchObject({
      replicas: 1,
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
      },
    });
    const job: KObject = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'j' },
      spec: { template: { spec: { containers: [] } } },
    };
    applyDefaults(job, () => '');
    expect(job['spec']).toMatchObject({ backoffLimit: 6, completions: 1, parallelism: 1 });
  });
});
