import { parseArgs } from 'node:util';

// `opsloop <command>`: a thin dispatcher. Each command lives in the package that owns it
// and is loaded only when asked for, so `opsloop sim` does not load the Kubernetes client.
const commands: Record<string, { summary: string; run: (argv: string[]) => Promise<number> }> = {
  sim: {
    summary: 'run kube-sim, a simulated Kubernetes cluster (API server + controllers)',
    run: async (argv) => (await import('@opsloop/kube-sim')).runSimCommand(argv),
  },
  diagnose: {
    summary: 'run the model-free analyzers against a cluster and print findings (never writes)',
    run: async (argv) => (await import('@opsloop/kube-tools')).runDiagnoseCommand(argv),
  },
  ...clientCommands(),
};

/** up, login, ask, approve, reject, watch, ops, replay, audit (src/commands). */
function clientCommands() {
  const entries: [string, string][] = [
    [
      'up',
      'run the whole product: NATS, the demo cluster (or yours), the four services, the console',
    ],
    ['login', 'check a gateway URL and token and keep them for later commands'],
    ['ask', 'ask in plain language; --wait follows it to the plan or the answer'],
    ['approve', "approve an operation's plan exactly as shown (sends its planHash)"],
    ['reject', "reject an operation's plan, with a comment"],
    ['watch', 'follow an operation live until it ends'],
    ['ops', 'list operations (a table; --json for scripts)'],
    ['replay', 'the ordered timeline of an operation from the stream alone'],
    ['audit', "export operations as NDJSON, or verify an exported file's hash chains"],
  ];
  return Object.fromEntries(
    entries.map(([name, summary]) => [
      name,
      {
        summary,
        run: async (argv: string[]) =>
          (await import('./commands/registry.ts')).runClientCommand(name, argv),
      },
    ]),
  );
}

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  const lines = Object.entries(commands).map(
    ([name, { summary }]) => `  ${name.padEnd(width)}  ${summary}`,
  );
  return `usage: opsloop <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nRun "opsloop <command> --help" for a command's options.`;
}

/**
 * node:util parseArgs (with tokens) finds the command: the first positional. Only --help
 * may come before it; everything after it belongs to the command, untouched.
 */
function splitCommand(argv: string[]): { help: boolean; name?: string; rest: string[] } {
  const { values, tokens } = parseArgs({
    args: argv,
    options: { help: { type: 'boolean', short: 'h', default: false } },
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  const first = tokens.find((token) => token.kind === 'positional');
  const before = tokens.filter((t) => first === undefined || t.index < first.index);
  for (const token of before)
    if (token.kind === 'option' && token.name !== 'help')
      throw new Error(`unknown option "${token.rawName}"${first ? ' before the command' : ''}`);
  if (first === undefined) return { help: values.help === true, rest: [] };
  return {
    help: before.length > 0 || first.value === 'help',
    name: first.value,
    rest: argv.slice(first.index + 1),
  };
}

let split: ReturnType<typeof splitCommand>;
try {
  split = splitCommand(process.argv.slice(2));
} catch (error) {
  console.error(`opsloop: ${(error as Error).message}\n\n${usage()}`);
  process.exit(2);
}
if (split.name === undefined || split.name === 'help' || split.help) {
  console.log(usage());
  process.exit(split.name === undefined && !split.help ? 2 : 0);
}
const command = commands[split.name];
if (command === undefined) {
  console.error(`opsloop: unknown command "${split.name}"\n\n${usage()}`);
  process.exit(2);
}
process.exitCode = await command.run(split.rest);
