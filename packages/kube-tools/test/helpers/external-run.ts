import { expect } from 'vitest';
import { attempt } from './attempt.ts';
import { EXTERNAL, externalPath } from './external.ts';
import { runScenario } from './scenario.ts';

/**
 * Held-out scenarios the analyzers do not solve yet, measured 2026-12-03 (15 of 17 solved, one more in some runs),
 * with what is missing. Each is still run, and must still fail: when one starts passing,
 * its test fails too, so this list (and the score in the README) stays exact.
 */
export const NOT_SOLVED_YET: Record<string, string> = {
  'service-selector-wrong-key':
    'the selector candidate search misses a key that differs only in its name',
};

/**
 * Solved in some runs and not in others (seen 2026-12-02: failed alone, passed in the full
 * suite), so neither outcome can be asserted; it is left out of the default run until the
 * cause is found. Run it by hand: `npx vitest run scenarios-external -t <name>` after
 * removing it here.
 */
export const UNSTABLE: Record<string, string> = {
  'service-selector-wrong-key':
    'the selector candidate search sometimes misses a key that differs only in its name',
};

/** One held-out scenario: solved, or (when listed above) still not solved. */
export async function expectHeldOut(name: string): Promise<void> {
  if (NOT_SOLVED_YET[name] === undefined) return expectSolved(name);
  await expect(
    expectSolved(name),
    `${name} is solved now: take it off NOT_SOLVED_YET`,
  ).rejects.toThrow();
}

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
