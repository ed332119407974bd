import { expect } from 'vitest';
import { attempt } from './attempt.ts';
import { EXTERNAL, externalPath } from './external.ts';
import { runScenario } from './scenario.ts';

/** Run one held-out scenario: each fault named and fixed (or a person asked), no false alarm. */
export async function expectSolved(name: string): Promise<void> {
  const e = EXTERNAL[name]!;
  const env = await runScenario(externalPath(name));
  try {
    const outcome = await attempt(env, e);
    const diagnosis = outcome.diagnosis.join('; ') || 'no findings';
    for (const o of outcome.faults) {
      const what = `${name}: ${o.fault.kind}/${o.fault.name} (${o.fault.cause})`;
      expect(o.named, `${what} not named; diagnosis: ${diagnosis}`).toBe(true);
      if (o.fault.fix === null)
        expect(o.personAsked, `${what}: no fix expected, a person asked; ${diagnosis}`).toBe(true);
      else expect(o.fault.fix, `${what}: fix applied; ${diagnosis}`).toContain(o.applied?.action);
    }
    expect(outcome.falseAlarms, `${name}: false alarms`).toEqual([]);
    expect(outcome.solved, `${name} not solved: ${outcome.report}; ${diagnosis}`).toBe(true);
  } finally {
    await env.stop();
  }
}
