import { afterAll, beforeAll, describe, it } from 'vitest';
import { startNats, type Nats } from './helpers/env.ts';
import { LIBRARY } from './helpers/library.ts';
import { askAndFix } from './helpers/sweep.ts';

/**
 * A representative part of the library in the default run (one per fault class: scheduling,
 * config, networking, probes, rollout, and one a person must fix); `npm run scenarios` runs
 * every library scenario and the external set (test/sweep).
 */
const REPRESENTATIVE = [
  'nodeselector-no-match',
  'missing-required-env',
  'networkpolicy-blocks-frontend',
  'readiness-probe-wrong-path',
  'stuck-rollout-rollback',
  'bad-image-tag',
];

let nats: Nats;
beforeAll(async () => {
  nats = await startNats();
}, 30_000);
afterAll(() => nats?.stop());

describe('the planner on library scenarios (representative part)', () => {
  it.each(REPRESENTATIVE)(
    '%s: the scenario request → the right diagnosis, and a plan that solves it or what a person must do',
    async (name) => {
      await askAndFix(nats, name, LIBRARY[name]!);
    },
    180_000,
  );
});
