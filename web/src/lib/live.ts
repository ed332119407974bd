import { openEventStream } from './api.ts';
import type { StoredEnvelope } from './chain.ts';
import { ApiError } from './http.ts';
import { SseParser } from './sse.ts';

export type LiveState =
  | { state: 'connecting' }
  | { state: 'live' }
  | { state: 'reconnecting'; attempt: number; inMs: number }
  | { state: 'stopped'; error: ApiError };

export interface Follow {
  stop(): void;
}

/**
 * Follows an operation's events over SSE and reconnects by itself: after a drop it resumes
 * with Last-Event-ID, so nothing is missed and nothing arrives twice (ids already seen are
 * skipped as well, in case a server resends). Stops for good only on errors a retry cannot
 * fix: signed out, forbidden, not found.
 */
export function followEvents(
  opId: string,
  handlers: { onEvent(event: StoredEnvelope): void; onState(state: LiveState): void },
  options: { lastEventId?: string | null; seen?: Iterable<string> } = {},
): Follow {
  const controller = new AbortController();
  const seen = new Set(options.seen ?? []);
  let lastEventId = options.lastEventId ?? null;
  let attempt = 0;

  async function connectOnce(): Promise<void> {
    handlers.onState(attempt === 0 ? { state: 'connecting' } : { state: 'connecting' });
    const response = await openEventStream(opId, lastEventId, controller.signal);
    if (response.body === null) throw new ApiError('server', 0, 'NO_BODY', 'empty stream');
    handlers.onState({ state: 'live' });
    attempt = 0;
    const parser = new SseParser();
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      for (const message of parser.push(value)) {
        if (message.id !== null) lastEventId = message.id;
        if (message.data === '') continue;
        let event: StoredEnvelope;
        try {
          event = JSON.parse(message.data) as StoredEnvelope;
        } catch {
          continue;
        }
        if (typeof event !== 'object' || event === null || typeof event.id !== 'string') continue;
        if (seen.has(event.id)) continue;
        seen.add(event.id);
        handlers.onEvent(event);
      }
    }
  }

  async function run(): Promise<void> {
    while (!controller.signal.aborted) {
      try {
        await connectOnce();
      } catch (error) {
        if (controller.signal.aborted) return;
        if (
          error instanceof ApiError &&
          ['unauthorized', 'forbidden', 'not_found'].includes(error.kind)
        ) {
          handlers.onState({ state: 'stopped', error });
          return;
        }
      }
      if (controller.signal.aborted) return;
      attempt += 1;
      // Back off 0.5 s, 1 s, 2 s … up to 10 s, so a restarting gateway is not hammered.
      const inMs = Math.min(10_000, 500 * 2 ** (attempt - 1));
      handlers.onState({ state: 'reconnecting', attempt, inMs });
      await new Promise((resolve) => setTimeout(resolve, inMs));
    }
  }

  void run();
  return { stop: () => controller.abort() };
}
