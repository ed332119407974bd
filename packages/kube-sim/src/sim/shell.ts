/**
 * A small `sh -c` interpreter: enough that debugging pods, init containers and Jobs behave
 * plausibly (echo, sleep, exit, wget, nslookup, cat, env, loops, `&&`/`||`, `$VAR`). The
 * result is a timeline: lines stamped with sim seconds since the shell started, and the
 * exit (undefined when the script never ends: `sleep infinity`, `while true`, a server).
 */
import {
  parseShell,
  ShellSyntaxError,
  type AndOr,
  type Command,
  type Word,
} from './shell-parse.ts';
import { curl, nc, nslookup, wget, type CommandIo } from './shell-net.ts';
import type { ResolvedImage } from './resolved.ts';
import { SHELLS } from './resolved.ts';
import {
  exitOf,
  type ListeningPort,
  type LogLine,
  type FileOp,
  type ProcessExit,
  type SimEnvironment,
} from './runtime-types.ts';
import { fileCommands } from './shell-files.ts';
import { BUILTINS, parseDuration, runBuiltin } from './shell-builtins.ts';
import { headBytes, loadCommands, parseHeadBytes, type LoadIo } from './shell-load.ts';

export { parseDuration } from './shell-builtins.ts';

/** What running one of the image's server programs does (process.ts provides it). */
export interface ServerRun {
  logs: LogLine[];
  exit: ProcessExit | undefined;
  listening: ListeningPort[];
}

export interface ShellContext extends SimEnvironment {
  image: ResolvedImage;
  env: Record<string, string>;
  runServer?: (argv: string[], env: Record<string, string>) => ServerRun;
  /** How the shell was invoked (`sh`, `/bin/sh`, `bash`): it prefixes the shell's own errors. */
  argv0?: string;
}

/** The process's own cpu (millicores) and memory (bytes) from `atSeconds` on, above the image's base. */
export interface UsageStep {
  atSeconds: number;
  cpuMilli: number;
  memoryBytes: number;
}

export interface ShellResult {
  lines: LogLine[];
  /** Steps of the script's own load (dd, yes, busy loops), in time order. */
  usage: UsageStep[];
  /** Undefined when the script runs forever. */
  exit: ProcessExit | undefined;
  listening: ListeningPort[];
}

/** A script that would run longer than a week (loops, mostly) is reported as never exiting. */
const HORIZON_SECONDS = 7 * 24 * 3600;
const MAX_LINES = 2000;

class ExitSignal {
  readonly code: number;
  constructor(code: number) {
    this.code = code;
  }
}
class ForeverSignal {}
class ProcessEnded {
  readonly exit: ProcessExit;
  constructor(exit: ProcessExit) {
    this.exit = exit;
  }
}

export type CommandImpl = (args: string[], io: CommandIo, ctx: ShellContext) => number;

const PROGRAMS: Record<string, CommandImpl> = {
  wget: (args, io, ctx) => wget(args, io, ctx),
  curl: (args, io, ctx) => curl(args, io, ctx),
  nslookup: (args, io, ctx) => nslookup(args, io, ctx),
  nc: (args, io, ctx) => nc(args, io, ctx),
};

class ShellRun {
  time = 0;
  status = 0;
  readonly lines: LogLine[] = [];
  listening: ListeningPort[] = [];
  readonly env: Record<string, string>;
  readonly files: Record<string, string>;

  readonly ctx: ShellContext;
  argv0: string;
  cpu = 0;
  memory = 0;
  readonly usage: UsageStep[] = [];

  constructor(ctx: ShellContext) {
    this.ctx = ctx;
    this.argv0 = ctx.argv0 ?? 'sh';
    this.env = {
      HOSTNAME: ctx.hostname ?? 'localhost',
      HOME: '/root',
      PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      ...ctx.env,
    };
    this.files = {
      '/etc/hostname': `${ctx.hostname ?? 'localhost'}\n`,
      '/etc/resolv.conf': resolvConf(ctx),
      ...ctx.files,
    };
  }

  emit(line: string): void {
    if (this.lines.length >= MAX_LINES) throw new ForeverSignal();
    this.lines.push({ atSeconds: this.time, line });
  }

  /** Hands a file change to the node (volumes, the container's layer), stamped with the script's time. */
  persist(path: string, op: FileOp, text: string): void {
    this.ctx.persist?.(this.time, path, op, text);
  }

  charge(cpuMilli: number, memoryBytes: number): void {
    this.cpu += cpuMilli;
    this.memory += memoryBytes;
    const step = { atSeconds: this.time, cpuMilli: this.cpu, memoryBytes: this.memory };
    if (this.usage.at(-1)?.atSeconds === this.time) this.usage[this.usage.length - 1] = step;
    else this.usage.push(step);
  }

  /** From now on one core is busy and the process never ends. */
  busyForever(): never {
    this.charge(1000, 0);
    throw new ForeverSignal();
  }

  wait(seconds: number): void {
    this.time += seconds;
    if (this.time > HORIZON_SECONDS) throw new ForeverSignal();
  }

  expand(word: Word): string {
    return word
      .map((part) => {
        if (part.kind === 'lit') return part.text;
        if (part.name === '?') return String(this.status);
        if (part.name === '$') return '1';
        if (part.name === '#') return '0';
        const value = this.env[part.name];
        return value === undefined || value === '' ? (part.fallback ?? '') : value;
      })
      .join('');
  }

  runList(list: AndOr[]): void {
    for (const item of list) this.runAndOr(item);
  }

  runAndOr(item: AndOr): void {
    this.status = this.runPipeline(item.first.commands);
    for (const { op, pipeline } of item.rest) {
      if ((op === '&&') === (this.status === 0)) this.status = this.runPipeline(pipeline.commands);
    }
  }

  runPipeline(commands: Command[]): number {
    let stdin: string[] | undefined;
    let status = 0;
    commands.forEach((command, index) => {
      const last = index === commands.length - 1;
      const captured: string[] = [];
      const out = last
        ? (line: string) => this.emit(line)
        : (line: string) => void captured.push(line);
      status = this.runCommand(command, out, stdin, !last);
      stdin = captured;
    });
    return status;
  }

  runCommand(
    command: Command,
    out: (line: string) => void,
    stdin: string[] | undefined,
    piped = false,
  ): number {
    switch (command.type) {
      case 'while': {
        for (let i = 0; ; i++) {
          this.runList(command.condition);
          if ((this.status === 0) === command.until) return 0;
          const before = this.time;
          this.runList(command.body);
          // A loop that neither waits nor ends spins forever on one core.
          if (this.time === before && i > 1000) this.busyForever();
        }
      }
      case 'for':
        for (const item of command.items) {
          this.env[command.variable] = this.expand(item);
          this.runList(command.body);
        }
        return this.status;
      case 'if':
        for (const branch of command.branches) {
          this.runList(branch.condition);
          if (this.status === 0) {
            this.runList(branch.body);
            return this.status;
          }
        }
        this.runList(command.otherwise);
        return this.status;
      case 'simple':
        return this.runSimple(command, out, stdin, piped);
    }
  }

  runSimple(
    command: Extract<Command, { type: 'simple' }>,
    out: (line: string) => void,
    stdin: string[] | undefined,
    piped = false,
  ): number {
    const argv = command.words.map((w) => this.expand(w));
    const assignments: [string, string][] = [];
    while (argv.length > 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[0] ?? '')) {
      const a = argv.shift() ?? '';
      const eq = a.indexOf('=');
      assignments.push([a.slice(0, eq), a.slice(eq + 1)]);
    }
    for (const [k, v] of assignments) this.env[k] = v;
    let stdout = out;
    let stderr = (line: string) => this.emit(line);
    for (const r of command.redirects) {
      if (r.target === 'fd1') {
        stderr = (line) => stdout(line);
        continue;
      }
      const path = this.expand(r.target);
      const sink =
        path === '/dev/null'
          ? () => undefined
          : (line: string) => {
              this.files[path] = (this.files[path] ?? '') + line + '\n';
              this.persist(path, 'append', `${line}\n`);
            };
      if (r.fd === 1) {
        if (path !== '/dev/null' && !r.append) {
          this.files[path] = '';
          this.persist(path, 'write', '');
        }
        stdout = sink;
      } else stderr = sink;
    }
    if (argv.length === 0) return 0;
    const io: CommandIo = {
      out: stdout,
      err: stderr,
      wait: (s) => this.wait(s),
      at: () => this.time,
      stdin,
    };
    return this.exec(argv, io, piped && command.redirects.every((r) => r.fd !== 1));
  }

  exec(argv: string[], io: CommandIo, piped = false): number {
    const [name = '', ...args] = argv;
    const program = name.split('/').pop() ?? name;
    if (program === 'exit') throw new ExitSignal(Number(args[0] ?? this.status) & 255);
    if (program === 'exec' || program === 'command')
      return args.length === 0 ? 0 : this.exec(args, io);
    if (BUILTINS.has(program)) return this.builtin(program, args, io);
    const { binaries } = this.ctx.image;
    if (binaries !== undefined && !binaries.includes(program)) {
      io.err(this.notFound(name));
      return 127;
    }
    if (SHELLS.includes(program)) {
      const script = args[0] === '-c' ? (args[1] ?? '') : undefined;
      if (script === undefined) return 0; // no tty: an interactive shell reads EOF and exits
      const outer = this.argv0;
      this.argv0 = name;
      try {
        this.runList(parseShell(script));
      } finally {
        this.argv0 = outer;
      }
      return this.status;
    }
    if (program === 'sleep') {
      const seconds = parseDuration(args[0] ?? '');
      if (seconds === undefined) {
        io.err(`sleep: invalid number '${args[0] ?? ''}'`);
        return 1;
      }
      if (!Number.isFinite(seconds)) throw new ForeverSignal();
      this.wait(seconds);
      return 0;
    }
    const files: ShellContext = {
      ...this.ctx,
      env: this.env,
      files: this.files,
      persist: (_at, path, op, text) => this.persist(path, op, text),
    };
    const load = loadCommands[program];
    if (load !== undefined) {
      const loadIo: LoadIo = {
        ...io,
        piped,
        charge: (cpu, memory) => this.charge(cpu, memory),
        busyForever: () => this.busyForever(),
      };
      return load(args, loadIo, files);
    }
    const bytes = program === 'head' ? parseHeadBytes(args) : undefined;
    if (bytes !== undefined) return headBytes(bytes.n, bytes.path, io, files);
    const impl = PROGRAMS[program] ?? fileCommands[program];
    if (impl !== undefined) return impl(args, io, files);
    const { servers } = this.ctx.image;
    if (servers.includes(program) || (binaries === undefined && this.ctx.runServer !== undefined)) {
      return this.server([program, ...args]);
    }
    return 0; // a utility we do not model (apk, vi, redis-cli…): succeeds silently
  }

  /** The image's service takes over: its lines join the timeline; the shell resumes only if it exits. */
  server(argv: string[]): number {
    if (this.ctx.runServer === undefined) return 0;
    const run = this.ctx.runServer(argv, this.env);
    const start = this.time;
    for (const line of run.logs)
      this.lines.push({ atSeconds: start + line.atSeconds, line: line.line });
    this.listening = run.listening.map((l) => ({
      ...l,
      readyAfterSeconds: start + l.readyAfterSeconds,
    }));
    if (run.exit === undefined) throw new ForeverSignal();
    this.time = start + run.exit.atSeconds;
    if (run.exit.reason === 'OOMKilled')
      throw new ProcessEnded({ ...run.exit, atSeconds: this.time });
    this.listening = [];
    return run.exit.code;
  }

  /** The shell's wording: bash, Debian's dash (`/bin/sh: 1: x: not found`) or busybox ash. */
  notFound(name: string): string {
    const shell = this.argv0.split('/').pop();
    if (shell === 'bash') return `${this.argv0}: line 1: ${name}: command not found`;
    if (this.ctx.image.shell === 'dash' && shell !== 'ash')
      return `${this.argv0}: 1: ${name}: not found`;
    return `${this.argv0}: ${name}: not found`;
  }

  builtin(name: string, args: string[], io: CommandIo): number {
    return runBuiltin(name, args, io, this.env, this.files);
  }
}

function resolvConf(ctx: SimEnvironment): string {
  const ns = ctx.namespace ?? 'default';
  return `search ${ns}.svc.cluster.local svc.cluster.local cluster.local\nnameserver ${ctx.dnsServer ?? '10.96.0.10'}\noptions ndots:5\n`;
}

function finish(run: ShellRun, exit: ProcessExit | undefined): ShellResult {
  return {
    lines: run.lines,
    usage: run.usage,
    exit,
    listening: exit === undefined ? run.listening : [],
  };
}

/** Runs `script` as `sh -c script` would. */
export function runShell(script: string, ctx: ShellContext): ShellResult {
  return runWith(ctx, (run) => run.runList(parseShell(script)));
}

/** Runs argv directly (no shell parsing), as `kubectl exec pod -- argv…` does. */
export function runArgv(argv: string[], ctx: ShellContext): ShellResult {
  return runWith(ctx, (run) => {
    run.status = run.exec(argv, {
      out: (l) => run.emit(l),
      err: (l) => run.emit(l),
      wait: (s) => run.wait(s),
      stdin: undefined,
    });
  });
}

function runWith(ctx: ShellContext, body: (run: ShellRun) => void): ShellResult {
  const run = new ShellRun(ctx);
  try {
    body(run);
    return finish(run, exitOf(run.time, run.status));
  } catch (signal) {
    if (signal instanceof ExitSignal) return finish(run, exitOf(run.time, signal.code));
    if (signal instanceof ForeverSignal) return finish(run, undefined);
    if (signal instanceof ProcessEnded)
      return { lines: run.lines, usage: run.usage, exit: signal.exit, listening: [] };
    if (signal instanceof ShellSyntaxError) {
      run.emit(`sh: ${signal.message}`);
      return finish(run, exitOf(run.time, 2));
    }
    throw signal;
  }
}
