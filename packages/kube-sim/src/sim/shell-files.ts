/**
 * File and text programs of the simulated shell: cat, ls, env/printenv, hostname, grep,
 * head, tail, wc, date, id, whoami, uname, touch, mkdir, rm. Files are the container's
 * mounted ConfigMaps/Secrets plus what the script itself wrote.
 */
import type { CommandIo } from './shell-net.ts';
import type { ShellContext } from './shell.ts';

type Impl = (args: string[], io: CommandIo, ctx: ShellContext) => number;

function contentLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function inputOf(
  args: string[],
  io: CommandIo,
  ctx: ShellContext,
  program: string,
): string[] | undefined {
  const paths = args.filter((a) => !a.startsWith('-'));
  if (paths.length === 0) return io.stdin ?? [];
  const lines: string[] = [];
  for (const path of paths) {
    const content = ctx.files?.[path];
    if (content === undefined) {
      io.err(`${program}: can't open '${path}': No such file or directory`);
      return undefined;
    }
    lines.push(...contentLines(content));
  }
  return lines;
}

function countArg(args: string[]): { n: number; rest: string[] } {
  let n = 10;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '-n') n = Number(args[++i] ?? '10');
    else if (/^-\d+$/.test(a)) n = Number(a.slice(1));
    else rest.push(a);
  }
  return { n, rest };
}

export const fileCommands: Record<string, Impl> = {
  cat(args, io, ctx) {
    const lines = inputOf(args, io, ctx, 'cat');
    if (lines === undefined) return 1;
    for (const line of lines) io.out(line);
    return 0;
  },
  ls(args, io, ctx) {
    const dir = (args.find((a) => !a.startsWith('-')) ?? '/').replace(/\/?$/, '/');
    const names = new Set<string>();
    for (const path of Object.keys(ctx.files ?? {})) {
      if (path.startsWith(dir)) names.add(path.slice(dir.length).split('/')[0] ?? '');
    }
    if (names.size === 0 && ctx.files?.[dir.slice(0, -1)] !== undefined) {
      io.out(dir.slice(0, -1));
      return 0;
    }
    if (names.size === 0 && dir !== '/') {
      io.err(`ls: ${dir.slice(0, -1)}: No such file or directory`);
      return 1;
    }
    for (const name of [...names].sort()) io.out(name);
    return 0;
  },
  env(_args, io, ctx) {
    for (const [k, v] of Object.entries(ctx.env)) io.out(`${k}=${v}`);
    return 0;
  },
  printenv(args, io, ctx) {
    if (args.length === 0) return fileCommands.env?.(args, io, ctx) ?? 0;
    let status = 0;
    for (const name of args) {
      const value = ctx.env[name];
      if (value === undefined) status = 1;
      else io.out(value);
    }
    return status;
  },
  hostname(_args, io, ctx) {
    io.out(ctx.hostname ?? 'localhost');
    return 0;
  },
  grep(args, io, ctx) {
    const flags = args.filter((a) => a.startsWith('-')).join('');
    const [pattern = '', ...paths] = args.filter((a) => !a.startsWith('-'));
    const lines = inputOf(paths, io, ctx, 'grep');
    if (lines === undefined) return 2;
    const ignoreCase = flags.includes('i');
    const invert = flags.includes('v');
    let re: RegExp;
    try {
      re = new RegExp(pattern, ignoreCase ? 'i' : '');
    } catch {
      re = new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), ignoreCase ? 'i' : '');
    }
    const matched = lines.filter((line) => re.test(line) !== invert);
    if (flags.includes('c')) io.out(String(matched.length));
    else if (!flags.includes('q')) for (const line of matched) io.out(line);
    return matched.length > 0 ? 0 : 1;
  },
  head(args, io, ctx) {
    const { n, rest } = countArg(args);
    const lines = inputOf(rest, io, ctx, 'head');
    if (lines === undefined) return 1;
    for (const line of lines.slice(0, n)) io.out(line);
    return 0;
  },
  tail(args, io, ctx) {
    const { n, rest } = countArg(args.filter((a) => a !== '-f'));
    const lines = inputOf(rest, io, ctx, 'tail');
    if (lines === undefined) return 1;
    for (const line of lines.slice(-n)) io.out(line);
    return 0;
  },
  wc(args, io, ctx) {
    const lines = inputOf(args, io, ctx, 'wc');
    if (lines === undefined) return 1;
    io.out(String(lines.length));
    return 0;
  },
  date(_args, io) {
    io.out(new Date().toUTCString().replace('GMT', 'UTC'));
    return 0;
  },
  id(_args, io) {
    io.out('uid=0(root) gid=0(root) groups=0(root),10(wheel)');
    return 0;
  },
  whoami(_args, io) {
    io.out('root');
    return 0;
  },
  uname(args, io) {
    io.out(
      args.includes('-a')
        ? 'Linux sim 6.1.0-28-amd64 #1 SMP PREEMPT_DYNAMIC x86_64 GNU/Linux'
        : 'Linux',
    );
    return 0;
  },
  touch(args, _io, ctx) {
    for (const path of args) {
      if (ctx.files === undefined) continue;
      ctx.files[path] ??= '';
      ctx.persist?.(0, path, 'append', '');
    }
    return 0;
  },
  rm(args, _io, ctx) {
    for (const path of args.filter((a) => !a.startsWith('-'))) {
      if (ctx.files !== undefined) delete ctx.files[path];
      ctx.persist?.(0, path, 'delete', '');
    }
    return 0;
  },
};
