import { describe, expect, it } from 'vitest';
import { parseDiagnoseArgs } from '../src/mod.ts';

describe('opsloop diagnose arguments (node:util parseArgs)', () => {
  it('reads long, short and --flag=value forms', () => {
    expect(parseDiagnoseArgs(['-n', 'shop', '--json'])).toEqual({
      namespace: 'shop',
      allNamespaces: false,
      json: true,
      help: false,
    });
    expect(parseDiagnoseArgs(['--kubeconfig=/k', '--context', 'c', '-A'])).toEqual({
      kubeconfigPath: '/k',
      context: 'c',
      allNamespaces: true,
      json: false,
      help: false,
    });
    expect(parseDiagnoseArgs(['-h']).help).toBe(true);
  });

  it('refuses unknown flags, missing values, positionals and contradictions, naming them', () => {
    const refused = (argv: string[]) => {
      try {
        parseDiagnoseArgs(argv);
      } catch (error) {
        return (error as Error).message;
      }
      return 'accepted';
    };
    expect(refused(['--frobnicate'])).toMatch(/--frobnicate/);
    expect(refused(['-n'])).toMatch(/--namespace <value>' argument missing/);
    expect(refused(['--context='])).toBe('--context needs a value');
    expect(refused(['shop'])).toMatch(/Unexpected argument 'shop'/);
    expect(refused(['-n', 'a', '-A'])).toBe('give either --namespace or -A, not both');
    expect(refused(['-n', 'Bad_NS'])).toBe('"Bad_NS" is not a valid namespace name');
  });
});
