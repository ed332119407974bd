import { describe, expect, it } from 'vitest';
import { ErrorCode, IllegalTransitionError, Phase, type CommandType } from '../../src/mod.ts';
import { given } from './given.ts';
import { commandSamples, phaseHistories } from './histories.ts';

/**
 * The phase matrix: every command in every phase. Where a command is not legal, decide
 * throws IllegalTransitionError naming the command, the phase and the phases that allow it.
 */
describe('phase matrix', () => {
  it('the histories reach the phase they are named after', () => {
    for (const phase of Phase.options) {
      expect(given(...phaseHistories[phase]).state.phase).toBe(phase);
    }
  });

  it('has a sample for every command', () => {
    const all: CommandType[] = commandSamples.map((s) => s.command.type);
    expect(new Set(all).size).toBe(24);
  });

  for (const { command, legalIn } of commandSamples) {
    it(`${command.type}: legal in ${legalIn.join(', ')}; IllegalTransition elsewhere`, () => {
      for (const phase of Phase.options) {
        const when = given(...phaseHistories[phase]).when(command);
        if (legalIn.includes(phase)) {
          // Legal phase: the phase guard lets it through (in-phase rules are tested per phase).
          expect(
            phaseGuardError(() => when.then([])),
            `${command.type} in ${phase}`,
          ).toBe(false);
          continue;
        }
        const error = when.thenThrows(
          IllegalTransitionError,
          ErrorCode.IllegalTransition,
          `${command.type} is not allowed in phase "${phase}": it is allowed only when the operation is`,
        );
        expect(error.details).toMatchObject({ command: command.type, phase, allowedIn: legalIn });
      }
    });
  }
});

/** True if `run` was stopped by the phase guard (the only error that carries allowedIn). */
function phaseGuardError(run: () => void): boolean {
  try {
    run();
  } catch (error) {
    return error instanceof IllegalTransitionError && 'allowedIn' in error.details;
  }
  return false;
}
