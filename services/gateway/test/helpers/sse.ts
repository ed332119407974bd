/** A minimal Server-Sent Events client over fetch: frames as they arrive, heartbeats counted. */
export interface SseFrame {
  id: string | null;
  event: string | null;
  data: string;
}

export interface SseClient {
  frames: SseFrame[];
  heartbeats: number;
  status: number;
  /** Resolves once `count` data frames have arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<SseFrame[]>;
  waitForHeartbeat(timeoutMs?: number): Promise<void>;
  close(): void;
}

export async function openSse(url: string, headers: Record<string, string>): Promise<SseClient> {
  const abort = new AbortController();
  const response = await fetch(url, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: abort.signal,
  });
  const client: SseClient = {
    frames: [],
    heartbeats: 0,
    status: response.status,
    waitFor: (count, timeoutMs = 10_000) =>
      until(() => client.frames.length >= count, timeoutMs).then(() => client.frames),
    waitForHeartbeat: (timeoutMs = 10_000) => {
      const seen = client.heartbeats;
      return until(() => client.heartbeats > seen, timeoutMs);
    },
    close: () => abort.abort(),
  };
  if (response.body === null || response.status !== 200) return client;
  const decoder = new TextDecoder();
  let buffer = '';
  void (async () => {
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          parseBlock(block, client);
        }
      }
    } catch {
      // aborted
    }
  })();
  return client;
}

function parseBlock(block: string, client: SseClient) {
  const frame: SseFrame = { id: null, event: null, data: '' };
  let hasData = false;
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) client.heartbeats++;
    else if (line.startsWith('id: ')) frame.id = line.slice(4);
    else if (line.startsWith('event: ')) frame.event = line.slice(7);
    else if (line.startsWith('data: ')) {
      frame.data += line.slice(6);
      hasData = true;
    }
  }
  if (hasData) client.frames.push(frame);
}

async function until(condition: () => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for SSE frames');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
