import { z } from 'zod';
import { editDistance } from '../analyzers/helpers.ts';
import { PreconditionError } from '../errors.ts';
import { setOps } from '../json-pointer.ts';
import type { JsonPatchOp } from '../json-pointer.ts';
import { LabelName } from '../validation.ts';
import {
  containerFields,
  findContainer,
  rolloutChecks,
  workloadArgs,
  workloadTarget,
} from './common.ts';
import type { ActionDefinition } from './types.ts';

const HostArgs = z
  .strictObject({ ...containerFields, from: LabelName, to: LabelName })
  .refine((a) => a.from !== a.to, 'from and to must differ');

/** `from` as a whole host label: not inside a longer name (`orders-cahce.shop.svc` matches). */
const hostPattern = (from: string) => new RegExp(`(?<![-a-z0-9])${from}(?![-a-z0-9])`, 'g');

/**
 * Correct a misspelt Service name in a container's command or args (an init container that
 * waits for `orders-cahce` when the Service is `orders-cache`). Narrow by construction, so
 * a plan still cannot make a container run a program of its choosing:
 * - `to` must be the name of a Service that exists in the namespace, `from` must not be;
 * - the two are at most 2 edits apart (a typo, not a redirect to another service);
 * - both are DNS labels (no shell syntax can be written), and the program itself
 *   (`command[0]`) is never changed, only its arguments and scripts.
 */
export const ReplaceServiceHost: ActionDefinition<z.infer<typeof HostArgs>> = {
  name: 'ReplaceServiceHost',
  description:
    "Correct a misspelt Service host name in a container's command/args to the name of an existing Service (at most 2 edits apart).",
  schema: HostArgs,
  risk: 'medium',
  target: workloadTarget,
  async compute(live, a, cluster) {
    if (editDistance(a.from, a.to) > 2)
      throw new PreconditionError(
        'ReplaceServiceHost',
        `"${a.from}" and "${a.to}" are more than 2 edits apart: that is another service, not a typo`,
      );
    const [target, source] = await Promise.all([
      cluster.get('Service', a.namespace, a.to),
      cluster.get('Service', a.namespace, a.from),
    ]);
    if (!target)
      throw new PreconditionError(
        'ReplaceServiceHost',
        `no Service named ${a.to} in ${a.namespace}; the host can only be corrected to a Service that exists`,
      );
    if (source)
      throw new PreconditionError(
        'ReplaceServiceHost',
        `Service ${a.from} exists in ${a.namespace}; the command's host is not a typo`,
      );
    const at = findContainer('ReplaceServiceHost', live, a.container);
    const pattern = hostPattern(a.from);
    const replace = (items: string[]) => items.map((item) => item.replace(pattern, a.to));
    const command = (at.container.command ?? []) as string[];
    const args = (at.container.args ?? []) as string[];
    const ops: JsonPatchOp[] = [];
    const newCommand = [...command.slice(0, 1), ...replace(command.slice(1))];
    if (JSON.stringify(newCommand) !== JSON.stringify(command))
      ops.push(...setOps(live, [...at.segments, 'command'], newCommand));
    const newArgs = replace(args);
    if (JSON.stringify(newArgs) !== JSON.stringify(args))
      ops.push(...setOps(live, [...at.segments, 'args'], newArgs));
    if (!ops.length)
      throw new PreconditionError(
        'ReplaceServiceHost',
        `the command and args of container ${a.container} do not name "${a.from}" (the program itself is never changed)`,
      );
    return {
      ops,
      summary: `replace host "${a.from}" with Service "${a.to}" in the command of container ${a.container} in ${a.kind} ${a.namespace}/${a.name}`,
    };
  },
  checks: rolloutChecks,
  // The old host names no Service, so the action cannot write it back; a Deployment keeps
  // the old command in its previous revision.
  inverse: (step) =>
    step.args.kind === 'Deployment'
      ? { action: 'RolloutUndo', args: { ...workloadArgs(step), kind: 'Deployment' } }
      : null,
};
