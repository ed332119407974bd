import { afterAll, beforeAll, describe, it } from 'vitest';
import { startNats, type Nats } from '../helpers/env.ts';
import { LIBRARY_NAMES, expectationOf } from '../helpers/library.ts';
import { askAndFix } from '../helpers/sweep.ts';

// A third of the library per file, so the thirds run in parallel.
const NAMES = LIBRARY_NAMES.filter((_, i) => i % 3 === 1);

let nats: Nats;
beforeAll(async () => {
  nats = await startNats();
}, 30_000);
afterAll(() => nats?.stop());

describe('the planner on the whole scenario library (part b)', () => {
  it.each(NAMES)(
    '%s: the scenario request → the right diagnosis, and a plan that solves it or what a person must do',
    async (name) => {
      await askAndFix(nats, name, expectationOf(name));
    },
    180_000,
  );
});
