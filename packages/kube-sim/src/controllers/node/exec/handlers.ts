/**
 * Remote-command handlers for pods/exec and pods/attach over the simulated containers.
 * `kubectl exec -it pod -- sh` gets a line-at-a-time shell; `kubectl exec pod -- cmd`
 * runs once; attach streams the main process until it exits.
 */
import { SHELLS } from '../../../sim/resolved.ts';
import type { NodeSide } from '../mod.ts';
import type { RemoteCommandHandler } from './remote-command.ts';

export function execHandler(
  node: Pick<NodeSide, 'exec'>,
  target: { namespace: string; pod: string; container: string | undefined },
  command: string[],
  options: { stdin: boolean; tty: boolean },
): RemoteCommandHandler {
  const { namespace, pod, container } = target;
  const program = (command[0] ?? '').split('/').pop() ?? '';
  const interactiveShell = options.stdin && SHELLS.includes(program) && command.length === 1;
  return {
    run: (stdin, out) => {
      const result = node.exec(namespace, pod, container, command, stdin);
      out.stdout(result.stdout);
      out.stderr(result.stderr);
      return result.exitCode;
    },
    ...(interactiveShell
      ? {
          interactive: {
            prompt: options.tty ? '/ # ' : '',
            line: (text, out) => {
              const trimmed = text.trim();
              if (trimmed === 'exit' || trimmed.startsWith('exit ')) return 'exit';
              if (trimmed === '') return 0;
              const result = node.exec(namespace, pod, container, [command[0]!, '-c', trimmed], '');
              out.stdout(result.stdout);
              out.stderr(result.stderr);
              return result.exitCode;
            },
          },
        }
      : {}),
  };
}

export function attachHandler(
  node: Pick<NodeSide, 'attach'>,
  target: { namespace: string; pod: string; container: string | undefined },
): RemoteCommandHandler {
  return {
    ignoreStdin: true,
    run: (_stdin, out) =>
      new Promise<number>((resolve, reject) => {
        try {
          // onExit may run before attach() returns when the process ends at once.
          const holder: { session?: { stop(): void } } = {};
          holder.session = node.attach(
            target.namespace,
            target.pod,
            target.container,
            (line) => out.stdout(`${line}\n`),
            (code) => {
              holder.session?.stop();
              resolve(code);
            },
          );
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      }),
  };
}
