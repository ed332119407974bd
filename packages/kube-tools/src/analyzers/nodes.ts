import { quote } from '../redact.ts';
import { conditionOf } from './helpers.ts';
import type { Analyzer, Finding } from './types.ts';
import { objectOf } from './types.ts';

export const nodeAnalyzer: Analyzer = {
  name: 'node',
  codes: ['NODE_NOT_READY', 'NODE_PRESSURE', 'NODE_MISSING'],
  analyze(s) {
    const findings: Finding[] = [];
    for (const node of s.nodes) {
      const ready = conditionOf(node, 'Ready');
      const pods = s.pods.filter((p) => p.spec?.nodeName === node.metadata.name);
      if (ready?.status !== 'True') {
        findings.push({
          code: 'NODE_NOT_READY',
          severity: 'critical',
          object: objectOf(node, 'Node'),
          evidence: [
            `condition Ready=${ready?.status ?? 'Unknown'} reason ${String(ready?.reason ?? '-')}: ${quote(String(ready?.message ?? ''))}`,
            `since ${String(ready?.lastTransitionTime ?? '?')}; unschedulable: ${String(node.spec?.unschedulable ?? false)}`,
            `${pods.length} pod(s) of ${s.namespace} on it: ${pods
              .slice(0, 5)
              .map((p) => p.metadata.name)
              .join(', ')}`,
          ],
          explanation: `Node ${node.metadata.name} is not ready; its pods do not run or are unreachable, and their controllers cannot use it.`,
          remediations: [
            {
              action: 'DrainNode',
              args: { name: node.metadata.name },
              confidence: 0.4,
              reasoning:
                'cordon the node and evict its pods so their controllers start them on healthy nodes (PDBs are honoured)',
            },
            {
              action: 'CordonNode',
              args: { name: node.metadata.name },
              confidence: 0.6,
              reasoning:
                'keep the scheduler from placing pods on the broken node while it is repaired',
            },
          ],
          humanAction:
            'Repair or replace the node (its kubelet, network or hardware); Opsloop only moves work away from it.',
        });
        continue;
      }
      const pressure = [
        'MemoryPressure',
        'DiskPressure',
        'PIDPressure',
        'NetworkUnavailable',
      ].filter((t) => conditionOf(node, t)?.status === 'True');
      if (pressure.length) {
        findings.push({
          code: 'NODE_PRESSURE',
          severity: 'warning',
          object: objectOf(node, 'Node'),
          evidence: pressure.map(
            (t) => `${t}=True: ${quote(String(conditionOf(node, t)?.message ?? ''))}`,
          ),
          explanation: `Node ${node.metadata.name} reports ${pressure.join(', ')}; the kubelet may evict pods.`,
          remediations: [],
          humanAction: 'Free or add the resource under pressure on that node.',
        });
      }
    }
    for (const name of s.missingNodes) {
      findings.push({
        code: 'NODE_MISSING',
        severity: 'critical',
        object: { apiVersion: 'v1', kind: 'Node', namespace: null, name },
        evidence: [`pods of ${s.namespace} are bound to node ${quote(name)}, which does not exist`],
        explanation:
          'Pods are bound to a node that was removed; they will not run until deleted and recreated by their controllers.',
        remediations: [],
        humanAction:
          'Delete the pods bound to the missing node (their controllers recreate them elsewhere).',
      });
    }
    return findings;
  },
};
