/**
 * Builtins of the simulated shell (echo, printf, export, unset, test/[, …) and the
 * argument parsing they share with sleep.
 */
import type { CommandIo } from './shell-net.ts';

export const BUILTINS = new Set([
  'echo',
  'printf',
  'exit',
  'true',
  'false',
  ':',
  'export',
  'set',
  'cd',
  'exec',
  'test',
  '[',
  'unset',
  'wait',
  'trap',
  'shift',
  'read',
  'pwd',
  'type',
  'command',
]);

/** Shell builtins: always available, whatever the image ships. */
export function runBuiltin(
  name: string,
  args: string[],
  io: CommandIo,
  env: Record<string, string>,
  files: Record<string, string>,
): number {
  switch (name) {
    case 'echo': {
      const noNewline = args[0] === '-n';
      io.out((noNewline ? args.slice(1) : args).join(' '));
      return 0;
    }
    case 'printf': {
      const [format = '', ...rest] = args;
      let i = 0;
      const text = format
        .replace(/%[sd]/g, () => rest[i++] ?? '')
        .replace(/\\n/g, '\n')
        .replace(/\\t/g, '\t');
      for (const line of text.replace(/\n$/, '').split('\n')) io.out(line);
      return 0;
    }
    case 'false':
      return 1;
    case 'export':
      for (const a of args) {
        const eq = a.indexOf('=');
        if (eq > 0) env[a.slice(0, eq)] = a.slice(eq + 1);
      }
      return 0;
    case 'unset':
      for (const a of args) delete env[a];
      return 0;
    case 'pwd':
      io.out('/');
      return 0;
    case 'test':
    case '[':
      return evalTest(name === '[' ? args.slice(0, -1) : args, files) ? 0 : 1;
    default:
      return 0;
  }
}

function evalTest(args: string[], files: Record<string, string>): boolean {
  if (args[0] === '!') return !evalTest(args.slice(1), files);
  if (args.length === 1) return (args[0] ?? '') !== '';
  if (args.length === 2) {
    const [op, v = ''] = args;
    if (op === '-n') return v !== '';
    if (op === '-z') return v === '';
    if (op === '-f' || op === '-e' || op === '-r' || op === '-s') return files[v] !== undefined;
    if (op === '-d')
      return v === '/' || Object.keys(files).some((f) => f.startsWith(v.replace(/\/?$/, '/')));
    return false;
  }
  const [a = '', op, b = ''] = args;
  switch (op) {
    case '=':
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case '-eq':
      return Number(a) === Number(b);
    case '-ne':
      return Number(a) !== Number(b);
    case '-lt':
      return Number(a) < Number(b);
    case '-gt':
      return Number(a) > Number(b);
    case '-le':
      return Number(a) <= Number(b);
    case '-ge':
      return Number(a) >= Number(b);
    default:
      return false;
  }
}

/** `sleep` arguments: `5`, `0.5`, `10s`, `5m`, `1h`, `infinity`. */
export function parseDuration(text: string): number | undefined {
  if (text === 'infinity' || text === 'inf') return Infinity;
  const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(text);
  if (!m) return undefined;
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] ?? ''] ?? 1;
  return Number(m[1]) * unit;
}
