import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startNats, type Nats } from '../helpers/env.ts';
import { askAndFix } from '../helpers/sweep.ts';

/**
 * The external set (packages/kube-sim/scenarios-external), which the analyzers were not
 * written against: each request must end in a plan that solves the scenario (or, where no
 * action can help, an answer saying what a person must do).
 */
const dir = new URL('../../../../packages/kube-sim/scenarios-external/', import.meta.url);
const NAMES = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => new URL(f, dir).pathname);

let nats: Nats;
beforeAll(async () => {
  nats = await startNats();
}, 30_000);
afterAll(() => nats?.stop());

describe('the planner on the external scenario set', () => {
  it.each(NAMES)(
    '%s',
    async (file) => {
      await askAndFix(nats, file, null);
    },
    180_000,
  );
});
