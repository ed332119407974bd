import type { GatewayClient } from '../client/http.ts';
import type { Projection } from './format.ts';

const DECIDED = ['awaiting_approval', 'answered', 'rejected', 'failed', 'invalidated', 'succeeded'];
const ENDED = ['answered', 'rejected', 'failed', 'invalidated', 'succeeded'];

export function isSettled(op: Projection, until: 'decided' | 'ended'): boolean {
  return (until === 'decided' ? DECIDED : ENDED).includes(String(op.status));
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * Follows an operation: its event stream (SSE) drives the progress display, and the
 * projection is re-read after each event and every half second (the read model may trail
 * the stream a little) until it is settled. On a terminal a spinner shows the latest event;
 * otherwise each event is one plain line on stderr (stdout stays for the result).
 */
export async function followOperation(
  api: GatewayClient,
  id: string,
  options: { until: 'decided' | 'ended'; quiet?: boolean; timeoutMs?: number },
): Promise<Projection> {
  let op = await api.request<Projection>('GET', `/api/v1/operations/${id}`);
  if (isSettled(op, options.until)) return op;
  const tty = process.stderr.isTTY && !options.quiet;
  let frame = 0;
  let last = 'waiting for the first event';
  const timer = tty
    ? setInterval(
        () => process.stderr.write(`\r${SPINNER[frame++ % SPINNER.length]} ${last}\x1b[K`),
        100,
      )
    : undefined;
  const abort = new AbortController();
  const progress = (async () => {
    for await (const message of api.events(id, abort.signal)) {
      const event = message.data as { type?: string; actor?: { id?: string }; occurredAt?: string };
      last = `${event.type ?? 'event'} by ${event.actor?.id ?? '?'}`;
      if (!tty && !options.quiet) process.stderr.write(`${event.occurredAt ?? ''} ${last}\n`);
    }
  })().catch(() => undefined);
  const deadline = Date.now() + (options.timeoutMs ?? 15 * 60_000);
  try {
    while (!isSettled(op, options.until) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      op = await api.request<Projection>('GET', `/api/v1/operations/${id}`);
    }
  } finally {
    abort.abort();
    await progress;
    if (timer) {
      clearInterval(timer);
      process.stderr.write('\r\x1b[K');
    }
  }
  return op;
}
