import { startOpsloop, type LlmOptions } from '../up/launcher.ts';
import { LaunchError } from '../up/nats.ts';
import { EXIT, type CommandSpec } from './command.ts';

const TRY_FIRST = [
  'npx opsloop ask "payment-api is unreachable since the last deploy. Why, and can you fix it?" -n payments --wait',
  'npx opsloop ask "Why are backend API pods stuck in Pending state?" -n backend --wait',
  'npx opsloop ask "Scale the checkout service to five replicas." -n shop --wait',
];

export const up: CommandSpec = {
  name: 'up',
  usage:
    'up [--kubeconfig FILE [--context C]] [--users FILE] [--llm none|ollama|openai] [--model M] [--llm-url U] [--port P]',
  summary:
    'Run the whole product: nats-server (store in .opsloop/), kube-sim with the demo cluster (or your cluster with --kubeconfig), the planner, executor, verifier and gateway as separate processes, and the console. Ctrl-C stops everything; the next start resumes from the same store.',
  options: {
    kubeconfig: { type: 'string' },
    context: { type: 'string' },
    users: { type: 'string' },
    llm: { type: 'string', default: 'none' },
    model: { type: 'string' },
    'llm-url': { type: 'string' },
    port: { type: 'string', default: '8080' },
    'nats-port': { type: 'string', default: '4333' },
    'data-dir': { type: 'string', default: '.opsloop' },
    speed: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
  optionHelp: [
    '--kubeconfig FILE  operate a real cluster instead of the demo (services use this kubeconfig)',
    '--context C        kubeconfig context',
    '--users FILE       users and teams (default: generated; credentials in <data-dir>/credentials.json)',
    '--llm MODE         none (default, air-gapped) | ollama | openai',
    '--model M          model name     --llm-url U   model server URL',
    '--port P           console and API port (default 8080)',
    '--nats-port P      port of the embedded nats-server (default 4333; NATS_URL uses yours)',
    '--data-dir DIR     where state is kept (default .opsloop)',
    '--speed N          demo cluster clock speed (default 1)',
    '--json             JSON lines for scripts: {"event":"running",…} once up, {"event":"stopped"} at the end',
  ],
  async run(v) {
    const json = v.json === true;
    /** One line for a person, or `{"error": …}` for a script. */
    const fail = (message: string, code: number) => {
      process.stderr.write(
        json
          ? `${JSON.stringify({ error: { message, exitCode: code } })}\n`
          : `opsloop up: ${message}\n`,
      );
      return code;
    };
    const provider = String(v.llm);
    if (!['none', 'ollama', 'openai'].includes(provider))
      return fail(`--llm must be none, ollama or openai, not "${provider}"`, EXIT.usage);
    const llm: LlmOptions = { provider: provider as LlmOptions['provider'] };
    if (v.model) llm.model = String(v.model);
    if (v['llm-url']) llm.url = String(v['llm-url']);
    const started = Date.now();
    let running;
    try {
      running = await startOpsloop({
        dataDir: String(v['data-dir']),
        gatewayPort: Number(v.port),
        natsPort: Number(v['nats-port']),
        ...(process.env.NATS_URL ? { natsUrl: process.env.NATS_URL } : {}),
        ...(v.kubeconfig ? { kubeconfig: String(v.kubeconfig) } : {}),
        ...(v.context ? { context: String(v.context) } : {}),
        ...(v.users ? { usersFile: String(v.users) } : {}),
        speed: Number(v.speed),
        llm,
        progress: (line) =>
          process.stderr.write(json ? `${JSON.stringify({ progress: line })}\n` : `  … ${line}\n`),
      });
    } catch (error) {
      const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
      return fail(
        `${message}${error instanceof LaunchError ? '' : ` (logs in ${String(v['data-dir'])}/logs)`}`,
        EXIT.failed,
      );
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (json) {
      process.stdout.write(
        `${JSON.stringify({
          event: 'running',
          gatewayUrl: running.gatewayUrl,
          credentials: running.credentialsPath,
          natsUrl: running.natsUrl,
          logs: running.dataDir.logs,
          ...(v.kubeconfig
            ? { kubeconfig: String(v.kubeconfig) }
            : { adminKubeconfig: running.adminKubeconfig }),
          startedSeconds: Number(seconds),
        })}\n`,
      );
    } else
      process.stdout.write(
        [
          `Opsloop is running: ${running.gatewayUrl}`,
          `credentials: ${running.credentialsPath}`,
          `started in ${seconds} s · NATS ${running.natsUrl} · logs in ${running.dataDir.logs}`,
          v.kubeconfig
            ? `cluster: ${String(v.kubeconfig)}`
            : `demo cluster: kubectl --kubeconfig ${running.adminKubeconfig} get pods -A`,
          '',
          'Try first (or open the console and sign in with a token from the credentials file):',
          ...TRY_FIRST.map((line) => `  ${line}`),
          '  then approve as another user: npx opsloop approve <id> --as <an approver in credentials.json>',
          '',
          'Ctrl-C stops everything.',
          '',
        ].join('\n'),
      );
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    if (!json) process.stderr.write('stopping…\n');
    await running.stop();
    if (json)
      process.stdout.write(
        `${JSON.stringify({ event: 'stopped', dataDir: running.dataDir.root })}\n`,
      );
    else process.stderr.write('stopped; state kept in ' + running.dataDir.root + '\n');
    return EXIT.ok;
  },
};
