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

const [name, ...rest] = process.argv.slice(2);
if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
  console.log(usage());
  process.exit(name === undefined ? 2 : 0);
}
const command = commands[name];
if (command === undefined) {
  console.error(`opsloop: unknown command "${name}"\n\n${usage()}`);
  process.exit(2);
}
process.exitCode = await command.run(rest);
