import { z } from 'zod';
import { PreconditionError } from '../errors.ts';
import { pointer } from '../json-pointer.ts';
import type { JsonPatchOp } from '../json-pointer.ts';
import {
  containerFields,
  findContainer,
  rolloutChecks,
  workloadArgs,
  workloadTarget,
} from './common.ts';
import type { ActionDefinition } from './types.ts';

const ClearArgs = z.strictObject({
  ...containerFields,
  /** Also drop `args`, when they were written for the overriding program, not for the image. */
  clearArgs: z.boolean().default(false),
});

/**
 * Drop a container's `command` override (and optionally its `args`) so the image's own
 * ENTRYPOINT/CMD run. It only ever removes fields: no action in the catalog writes a
 * program into a command (ReplaceServiceHost only corrects a Service name in its
 * arguments), so nothing a plan carries can make a container run a program of its choosing.
 */
export const ClearCommandOverride: ActionDefinition<z.infer<typeof ClearArgs>> = {
  name: 'ClearCommandOverride',
  description:
    "Remove a container's command override (and optionally its args) so the image's own entrypoint runs.",
  schema: ClearArgs,
  risk: 'medium',
  target: workloadTarget,
  compute(live, a) {
    const at = findContainer('ClearCommandOverride', live, a.container);
    const fields = ['command', ...(a.clearArgs ? ['args'] : [])].filter(
      (f) => at.container[f] !== undefined,
    );
    if (!fields.includes('command'))
      throw new PreconditionError(
        'ClearCommandOverride',
        `container ${a.container} has no command override; the image's entrypoint already runs`,
      );
    const ops: JsonPatchOp[] = fields.map((f) => ({
      op: 'remove',
      path: pointer([...at.segments, f]),
    }));
    return {
      ops,
      summary: `drop the ${fields.join(' and ')} override of container ${a.container} in ${a.kind} ${a.namespace}/${a.name}, so the image's entrypoint runs`,
    };
  },
  checks: rolloutChecks,
  // No action writes a command, by design; a Deployment keeps the old one in its previous
  // revision, so undoing is a rollback to it. Elsewhere the diff shows what was removed.
  inverse: (step) =>
    step.args.kind === 'Deployment'
      ? { action: 'RolloutUndo', args: { ...workloadArgs(step), kind: 'Deployment' } }
      : null,
};
