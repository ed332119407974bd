/**
 * A Server-Sent Events parser for streams read with fetch. EventSource cannot send an
 * Authorization header, and the console never puts its token in a URL (URLs end up in logs
 * and browser history), so the stream is read with fetch and parsed here, per the WHATWG
 * event-stream format: `id`, `event`, `data`, `retry` fields; a blank line dispatches;
 * lines starting with ':' are comments (the gateway's heartbeats).
 */
export interface SseMessage {
  id: string | null;
  event: string;
  data: string;
}

export class SseParser {
  #buffer = '';
  #data: string[] = [];
  #event = '';
  #id: string | null = null;
  /** The last id seen, kept across messages as the spec says: what Last-Event-ID resumes from. */
  lastEventId: string | null = null;
  retryMs: number | null = null;

  /** Feeds a decoded chunk; returns the messages it completed. */
  push(chunk: string): SseMessage[] {
    this.#buffer += chunk;
    const out: SseMessage[] = [];
    let newline: number;
    while ((newline = this.#nextLineEnd()) >= 0) {
      const line = this.#buffer.slice(0, newline);
      const skip = this.#buffer[newline] === '\r' && this.#buffer[newline + 1] === '\n' ? 2 : 1;
      this.#buffer = this.#buffer.slice(newline + skip);
      const message = this.#line(line);
      if (message !== null) out.push(message);
    }
    return out;
  }

  #nextLineEnd(): number {
    const n = this.#buffer.indexOf('\n');
    const r = this.#buffer.indexOf('\r');
    // A lone trailing '\r' may be the first half of '\r\n': wait for the next chunk.
    if (r >= 0 && r === this.#buffer.length - 1 && n < 0) return -1;
    if (n < 0) return r;
    if (r < 0) return n;
    return Math.min(n, r);
  }

  #line(line: string): SseMessage | null {
    if (line === '') return this.#dispatch();
    if (line.startsWith(':')) return null;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.#data.push(value);
    else if (field === 'event') this.#event = value;
    else if (field === 'id' && !value.includes('\0')) this.#id = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
    return null;
  }

  #dispatch(): SseMessage | null {
    if (this.#id !== null) this.lastEventId = this.#id;
    const hadData = this.#data.length > 0;
    const message: SseMessage = {
      id: this.lastEventId,
      event: this.#event === '' ? 'message' : this.#event,
      data: this.#data.join('\n'),
    };
    this.#data = [];
    this.#event = '';
    this.#id = null;
    return hadData ? message : null;
  }
}
