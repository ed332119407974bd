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
};

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
