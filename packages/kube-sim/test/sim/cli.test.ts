import { describe, expect, it } from 'vitest';
import { parseSimArgs, SIM_FLAGS, SIM_START_HOOKS } from '../../src/mod.ts';
import { installScenarioCli, SCENARIO_FLAG } from '../../src/sim/cli.ts';

describe('--scenario flag', () => {
  it('is registered once by the package entry and parsed into options.extra', () => {
    installScenarioCli();
    expect(SIM_FLAGS.filter((f) => f === SCENARIO_FLAG)).toHaveLength(1);
    expect(SIM_START_HOOKS).toHaveLength(1);
    expect(parseSimArgs(['--scenario', 'healthy-shop']).extra.scenario).toBe('healthy-shop');
    expect(parseSimArgs(['--scenario=./my.yaml']).extra.scenario).toBe('./my.yaml');
  });
});
