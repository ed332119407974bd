/**
 * busybox applets scripts use to make load and data: dd, yes, seq, head -c, sha256sum,
 * md5sum. They charge the container as a real process would: dd and yes burn a core while
 * they run, a dd into /dev/shm (tmpfs: memory) grows the working set. Data from /dev/zero
 * and /dev/urandom is materialised only up to MAX_MATERIALISED characters.
 */
import { createHash } from 'node:crypto';
import type { CommandIo } from './shell-net.ts';
import type { ShellContext } from './shell.ts';

/** What a load applet asks of the shell run besides output. */
export interface LoadIo extends CommandIo {
  /** Adds to the container's cpu (millicores) and memory (bytes) from now on. */
  charge(cpuMilli: number, memoryBytes: number): void;
  /** The process never ends and keeps one core busy (`yes > /dev/null`, a busy loop). */
  busyForever(): never;
  /** Whether stdout goes to another command of a pipeline (which stops reading early). */
  piped: boolean;
}

type Impl = (args: string[], io: LoadIo, ctx: ShellContext) => number;

const MAX_MATERIALISED = 1 << 20;
const ONE_CORE = 1000;
const UNITS: Record<string, number> = {
  '': 1,
  c: 1,
  w: 2,
  b: 512,
  k: 1024,
  K: 1024,
  kB: 1000,
  KB: 1000,
  M: 1 << 20,
  m: 1 << 20,
  MB: 1e6,
  G: 1 << 30,
  g: 1 << 30,
  GB: 1e9,
};

function size(text: string): number | undefined {
  const m = /^(\d+)([a-zA-Z]*)$/.exec(text);
  const unit = m ? UNITS[m[2]!] : undefined;
  return m && unit !== undefined ? Number(m[1]) * unit : undefined;
}

function human(bytes: number): string {
  if (bytes >= 1 << 30) return `${(bytes / (1 << 30)).toFixed(1)}GB`;
  if (bytes >= 1 << 20) return `${(bytes / (1 << 20)).toFixed(1)}MB`;
  if (bytes >= 1 << 10) return `${(bytes / (1 << 10)).toFixed(1)}KB`;
  return `${bytes}B`;
}

const isDevice = (path: string) => path === '/dev/zero' || path === '/dev/urandom';
/** tmpfs paths whose pages are the container's memory. */
const inMemory = (path: string) => path.startsWith('/dev/shm/');

function data(path: string, bytes: number): string {
  const n = Math.min(bytes, MAX_MATERIALISED);
  if (path === '/dev/zero') return '\0'.repeat(n);
  let out = '';
  while (out.length < n) out += createHash('sha256').update(String(out.length)).digest('binary');
  return out.slice(0, n);
}

export const loadCommands: Record<string, Impl> = {
  dd(args, io, ctx) {
    const op: Record<string, string> = {};
    for (const a of args) {
      const eq = a.indexOf('=');
      if (eq > 0) op[a.slice(0, eq)] = a.slice(eq + 1);
    }
    const input = op['if'] ?? '-';
    const bs = size(op['bs'] ?? '512');
    const count = op['count'] === undefined ? undefined : Number(op['count']);
    if (bs === undefined || (count !== undefined && !Number.isInteger(count))) {
      io.err(`dd: invalid number '${op['bs'] ?? op['count'] ?? ''}'`);
      return 1;
    }
    if (!isDevice(input) && input !== '-' && ctx.files?.[input] === undefined) {
      io.err(`dd: can't open '${input}': No such file or directory`);
      return 1;
    }
    if (count === undefined && isDevice(input)) io.busyForever();
    const source = isDevice(input)
      ? undefined
      : input === '-'
        ? (io.stdin ?? []).join('\n')
        : ctx.files![input]!;
    const bytes =
      source === undefined ? bs * count! : Math.min(source.length, bs * (count ?? Infinity));
    const records = Math.ceil(bytes / bs);
    // /dev/zero streams at ~2 GB/s, /dev/urandom at ~400 MB/s on one core.
    const seconds = Math.max(0.001, bytes / (input === '/dev/urandom' ? 4e8 : 2e9));
    const output = op['of'];
    io.charge(ONE_CORE, 0);
    io.wait(seconds);
    io.charge(-ONE_CORE, 0);
    if (output !== undefined && output !== '/dev/null') {
      if (inMemory(output)) io.charge(0, bytes);
      const content = source ?? data(input, bytes);
      if (ctx.files) ctx.files[output] = content;
      ctx.persist?.(0, output, 'write', content);
    } else if (output === undefined) io.out(source ?? data(input, bytes));
    io.err(`${records}+0 records in`);
    io.err(`${records}+0 records out`);
    io.err(
      `${bytes} bytes (${human(bytes)}) copied, ${seconds.toFixed(6)} seconds, ${human(bytes / seconds)}/s`,
    );
    return 0;
  },
  yes(args, io) {
    const word = args.length > 0 ? args.join(' ') : 'y';
    if (!io.piped) io.busyForever();
    // The reader (head -n, a loop) stops early; enough for any of them.
    for (let i = 0; i < 10_000; i++) io.out(word);
    return 0;
  },
  seq(args, io) {
    const nums = args.filter((a) => !a.startsWith('-') || /^-\d/.test(a)).map(Number);
    if (nums.length === 0 || nums.some((n) => !Number.isFinite(n))) {
      io.err(`seq: invalid number '${args.find((a) => !Number.isFinite(Number(a))) ?? ''}'`);
      return 1;
    }
    const [first, step, last] =
      nums.length === 1
        ? [1, 1, nums[0]!]
        : nums.length === 2
          ? [nums[0]!, 1, nums[1]!]
          : [nums[0]!, nums[1]!, nums[2]!];
    if (step === 0) return 1;
    let emitted = 0;
    for (let n = first; step > 0 ? n <= last : n >= last; n += step) {
      io.out(String(n));
      if (++emitted >= 100_000) break;
    }
    return 0;
  },
  sha256sum: (args, io, ctx) => digest('sha256', args, io, ctx),
  md5sum: (args, io, ctx) => digest('md5', args, io, ctx),
};

/** `head -c N [FILE]`: the first N bytes (of a device: N bytes of it). */
export function headBytes(
  n: number,
  path: string | undefined,
  io: CommandIo,
  ctx: ShellContext,
): number {
  if (path !== undefined && isDevice(path)) {
    io.out(data(path, n));
    return 0;
  }
  const text = path === undefined ? (io.stdin ?? []).join('\n') : ctx.files?.[path];
  if (text === undefined) {
    io.err(`head: can't open '${path}': No such file or directory`);
    return 1;
  }
  io.out(text.slice(0, n));
  return 0;
}

export function parseHeadBytes(
  args: string[],
): { n: number; path: string | undefined } | undefined {
  const i = args.indexOf('-c');
  const n =
    i >= 0 ? size((args[i + 1] ?? '').replace(/([kKmMgG])$/, (u) => u.toUpperCase())) : undefined;
  if (i < 0 || n === undefined) return undefined;
  const path = args.filter((_, j) => j !== i && j !== i + 1).find((a) => !a.startsWith('-'));
  return { n, path };
}

function digest(
  algorithm: 'sha256' | 'md5',
  args: string[],
  io: CommandIo,
  ctx: ShellContext,
): number {
  const paths = args.filter((a) => !a.startsWith('-'));
  const hash = (text: string) => createHash(algorithm).update(text, 'binary').digest('hex');
  if (paths.length === 0) {
    const input = io.stdin ?? [];
    io.out(`${hash(input.length ? `${input.join('\n')}\n` : '')}  -`);
    return 0;
  }
  let status = 0;
  for (const path of paths) {
    const text = ctx.files?.[path];
    if (text === undefined) {
      io.err(`${algorithm}sum: can't open '${path}': No such file or directory`);
      status = 1;
    } else io.out(`${hash(text)}  ${path}`);
  }
  return status;
}
