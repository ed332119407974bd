/**
 * The WebSocket remote-command protocol kubectl speaks for exec and attach
 * (v5.channel.k8s.io, v4.channel.k8s.io): every binary message starts with a channel byte
 * — 0 stdin, 1 stdout, 2 stderr, 3 error (a metav1.Status JSON that ends the session),
 * 4 terminal resize, and in v5 255 "close" (the client half-closes one stream, e.g. stdin
 * EOF). The session ends with a Status on channel 3 and a normal close.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';

export const PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'] as const;
/** Real-time delay before a command's first output (see runSession). */
const START_DELAY_MS = 30;
const CHANNEL = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255 } as const;

export interface Output {
  stdout(text: string): void;
  stderr(text: string): void;
}

export interface RemoteCommandOptions {
  stdin: boolean;
  tty: boolean;
  /** Shown in the non-zero exit Status ("error executing command [sh -c exit 3]"). */
  command: string[];
}

/**
 * What runs behind the stream. `interactive` (a shell with a tty or open stdin) gets one
 * line at a time; otherwise `run` gets the whole stdin once the client closes it (or
 * nothing, immediately, without stdin). Both return the exit code; a thrown error with a
 * message becomes a Failure Status.
 */
export interface RemoteCommandHandler {
  run(stdin: string, out: Output): Promise<number> | number;
  interactive?: { line(text: string, out: Output): number | 'exit'; prompt: string };
  /** attach: run at once even with stdin attached (the process does not wait for input). */
  ignoreStdin?: boolean;
}

export function statusFor(exitCode: number, command: string[]): Record<string, unknown> {
  if (exitCode === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${exitCode}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  };
}

function failure(error: unknown): Record<string, unknown> {
  const e = error as { message?: string; reason?: string; code?: number };
  return {
    metadata: {},
    status: 'Failure',
    message: e.message ?? String(error),
    reason: e.reason ?? 'InternalError',
    code: e.code ?? 500,
  };
}

const wss = new WebSocketServer({
  noServer: true,
  handleProtocols: (protocols) => PROTOCOLS.find((p) => protocols.has(p)) ?? false,
});

/** Completes the upgrade and runs `handler` behind the channel protocol. */
export function serveRemoteCommand(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  options: RemoteCommandOptions,
  handler: RemoteCommandHandler,
): void {
  wss.handleUpgrade(req, socket, head, (ws) => runSession(ws, options, handler));
}

function frame(channel: number, text: string): Buffer {
  return Buffer.concat([Buffer.from([channel]), Buffer.from(text, 'utf8')]);
}

export function runSession(
  ws: WebSocket,
  options: RemoteCommandOptions,
  handler: RemoteCommandHandler,
): void {
  let done = false;
  const out: Output = {
    stdout: (text) => {
      if (!done && text)
        ws.send(frame(CHANNEL.stdout, options.tty ? text.replace(/\r?\n/g, '\r\n') : text));
    },
    stderr: (text) => {
      if (!done && text) ws.send(frame(options.tty ? CHANNEL.stdout : CHANNEL.stderr, text));
    },
  };
  const finish = (status: Record<string, unknown>) => {
    if (done) return;
    done = true;
    ws.send(frame(CHANNEL.error, JSON.stringify(status)), () => ws.close(1000));
  };
  const execute = (stdin: string) => {
    Promise.resolve()
      .then(() => handler.run(stdin, out))
      .then(
        (code) => finish(statusFor(code, options.command)),
        (error: unknown) => finish(failure(error)),
      );
  };
  let stdinText = '';
  let lineBuffer = '';
  const interactive = options.stdin && handler.interactive;
  if (interactive) out.stdout(interactive.prompt);
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    const bytes = isBinary ? data : Buffer.from(data.toString(), 'utf8');
    if (bytes.length === 0 || done) return;
    const channel = bytes[0];
    const payload = bytes.subarray(1).toString('utf8');
    if (channel === CHANNEL.stdin && options.stdin) {
      if (!interactive) {
        stdinText += payload;
        return;
      }
      for (const ch of payload) {
        if (ch === '\r' || ch === '\n') {
          if (options.tty) out.stdout('\n');
          const result = interactive.line(lineBuffer, out);
          lineBuffer = '';
          if (result === 'exit') return finish(statusFor(0, options.command));
          out.stdout(interactive.prompt);
        } else if (ch === '\u0004' && lineBuffer === '') {
          return finish(statusFor(0, options.command));
        } else if (ch === '\u007f') {
          if (lineBuffer) {
            lineBuffer = lineBuffer.slice(0, -1);
            if (options.tty) out.stdout('\b \b');
          }
        } else {
          lineBuffer += ch;
          if (options.tty) out.stdout(ch);
        }
      }
    } else if (channel === CHANNEL.close && bytes[1] === CHANNEL.stdin) {
      if (interactive) finish(statusFor(0, options.command));
      else if (!handler.ignoreStdin) execute(stdinText);
    }
  });
  ws.on('close', () => {
    done = true;
  });
  // client-go creates its stream readers only after the upgrade; frames sent at once can be
  // dropped ("Unknown stream id"), so output starts a moment later, as a runtime's would.
  if (!options.stdin || handler.ignoreStdin) setTimeout(() => execute(''), START_DELAY_MS);
}
