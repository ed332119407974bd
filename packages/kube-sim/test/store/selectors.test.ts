import { describe, expect, it } from 'vitest';
import type { KObject } from '../../src/api/types.ts';
import { ApiError } from '../../src/api/errors.ts';
import {
  labelSelectorMatches,
  parseFieldSelector,
  parseLabelSelector,
} from '../../src/store/selectors.ts';

const pod = (
  name: string,
  labels: Record<string, string>,
  extra: Record<string, unknown> = {},
): KObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'shop', labels },
  ...extra,
});

const pods = [
  pod(
    'a',
    { app: 'web', tier: 'front' },
    { status: { phase: 'Running' }, spec: { nodeName: 'n1' } },
  ),
  pod('b', { app: 'api', tier: 'back' }, { status: { phase: 'Pending' }, spec: {} }),
  pod('c', { app: 'db' }, { status: { phase: 'Running' }, spec: { nodeName: 'n2' } }),
];

function names(selector: string): string[] {
  const match = parseLabelSelector(selector)!;
  return pods.filter(match).map((p) => p.metadata.name!);
}

describe('label selectors', () => {
  it('supports =, == and !=', () => {
    expect(names('app=web')).toEqual(['a']);
    expect(names('app==api')).toEqual(['b']);
    expect(names('app!=web')).toEqual(['b', 'c']);
  });
  it('supports in and notin with spaces and several values', () => {
    expect(names('app in (web, db)')).toEqual(['a', 'c']);
    expect(names('app notin (web,db)')).toEqual(['b']);
  });
  it('supports exists and !exists', () => {
    expect(names('tier')).toEqual(['a', 'b']);
    expect(names('!tier')).toEqual(['c']);
  });
  it('ANDs comma-separated requirements', () => {
    expect(names('tier,app in (api,db)')).toEqual(['b']);
  });
  it('treats an empty selector as everything', () => {
    expect(parseLabelSelector('')).toBeUndefined();
  });
  it('rejects garbage with 400', () => {
    expect(() => parseLabelSelector('a b c')).toThrow(ApiError);
  });
  it('evaluates structured selectors (matchLabels + matchExpressions)', () => {
    const selector = {
      matchLabels: { app: 'web' },
      matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }],
    };
    expect(labelSelectorMatches(selector, { app: 'web', tier: 'front' })).toBe(true);
    expect(labelSelectorMatches(selector, { app: 'web', tier: 'back' })).toBe(false);
  });
});

describe('field selectors', () => {
  const select = (s: string): string[] =>
    pods.filter(parseFieldSelector(s, 'Pod')!).map((p) => p.metadata.name!);
  it('selects on status.phase and spec.nodeName', () => {
    expect(select('status.phase=Running')).toEqual(['a', 'c']);
    expect(select('spec.nodeName=n2')).toEqual(['c']);
    expect(select('spec.nodeName=')).toEqual(['b']);
    expect(select('metadata.name!=a,status.phase==Running')).toEqual(['c']);
  });
  it('answers an unknown field the way the API server does', () => {
    try {
      parseFieldSelector('spec.foo=bar', 'Pod');
      expect.unreachable();
    } catch (error) {
      expect((error as ApiError).code).toBe(400);
      expect((error as ApiError).message).toBe('field label not supported: spec.foo');
    }
  });
  it('supports involvedObject and reason on events', () => {
    const event: KObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'e' },
      involvedObject: { kind: 'Pod', name: 'a' },
      reason: 'BackOff',
      type: 'Warning',
    };
    expect(
      parseFieldSelector('involvedObject.name=a,reason=BackOff,type=Warning', 'Event')!(event),
    ).toBe(true);
    expect(parseFieldSelector('involvedObject.kind=Node', 'Event')!(event)).toBe(false);
  });
});
