import { quote } from '../redact.ts';
import { claimClassFix } from './claim-class.ts';
import { eventEvidence, eventsFor } from './helpers.ts';
import type { Analyzer, Finding } from './types.ts';
import { objectOf } from './types.ts';

const DEFAULT = 'storageclass.kubernetes.io/is-default-class';

export const pvcAnalyzer: Analyzer = {
  name: 'pvc',
  codes: ['PVC_STORAGECLASS_MISSING', 'PVC_NO_DEFAULT_STORAGECLASS', 'PVC_PENDING'],
  analyze(s) {
    const findings: Finding[] = [];
    const classes = s.storageClasses.map((c) => c.metadata.name);
    const defaults = s.storageClasses.filter((c) => c.metadata.annotations?.[DEFAULT] === 'true');
    for (const pvc of s.pvcs) {
      if (pvc.status?.phase === 'Bound') continue;
      const className = pvc.spec?.storageClassName as string | undefined;
      const users = s.pods.filter((p) =>
        (p.spec?.volumes ?? []).some(
          (v: { persistentVolumeClaim?: { claimName: string } }) =>
            v.persistentVolumeClaim?.claimName === pvc.metadata.name,
        ),
      );
      const evidence = [
        `phase: ${String(pvc.status?.phase ?? 'Pending')}, storageClassName: ${quote(String(className ?? '(unset)'))}`,
        `StorageClasses: ${classes.join(', ') || '(none)'}${defaults.length ? `; default: ${defaults.map((d) => d.metadata.name).join(', ')}` : '; no default'}`,
        ...(users.length
          ? [
              `used by pod(s): ${users
                .slice(0, 4)
                .map((p) => p.metadata.name)
                .join(', ')} (Pending until the claim binds)`,
            ]
          : []),
        ...eventsFor(s, 'PersistentVolumeClaim', pvc).slice(0, 2).map(eventEvidence),
      ];
      const candidates = classes.length
        ? `existing classes: ${classes.join(', ')}`
        : 'the cluster has no StorageClass';
      if (className && className !== '' && !classes.includes(className)) {
        const fixes = claimClassFix(s, pvc, className);
        findings.push({
          code: 'PVC_STORAGECLASS_MISSING',
          severity: 'critical',
          object: objectOf(pvc, 'PersistentVolumeClaim'),
          evidence,
          explanation: `The claim asks for StorageClass "${className}", which does not exist, so no volume is provisioned and pods using it stay Pending.`,
          remediations: fixes,
          ...(fixes.length
            ? {}
            : {
                humanAction: `Choose a StorageClass (${candidates}). A claim's class cannot be changed in place: recreate the claim with the chosen class (its data, if any, is not carried over), or create a StorageClass named "${className}".`,
              }),
        });
      } else if (className === undefined && defaults.length === 0) {
        findings.push({
          code: 'PVC_NO_DEFAULT_STORAGECLASS',
          severity: 'critical',
          object: objectOf(pvc, 'PersistentVolumeClaim'),
          evidence,
          explanation:
            'The claim names no StorageClass and the cluster has no default one, so nothing provisions it.',
          remediations: [],
          humanAction: `Mark one StorageClass as default or recreate the claim with an explicit class (${candidates}).`,
        });
      } else if (users.length) {
        findings.push({
          code: 'PVC_PENDING',
          severity: 'warning',
          object: objectOf(pvc, 'PersistentVolumeClaim'),
          evidence,
          explanation: 'The claim is not bound yet; pods using it wait.',
          remediations: [],
        });
      }
    }
    return findings;
  },
};
