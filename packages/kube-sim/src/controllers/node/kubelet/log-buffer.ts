/**
 * Lines one container instance wrote, with their sim timestamps. The kubelet keeps the
 * current instance's buffer and the previous one (what `kubectl logs --previous` reads),
 * like the container runtime keeps the last dead container's log file.
 */
export interface LogEntry {
  atMs: number;
  line: string;
}

const MAX_LINES = 10_000;

export class LogBuffer {
  readonly entries: LogEntry[] = [];
  private readonly listeners = new Set<(entry: LogEntry) => void>();
  private closedFlag = false;
  private readonly closeListeners = new Set<() => void>();

  append(atMs: number, line: string): void {
    if (this.closedFlag) return;
    const entry = { atMs, line };
    this.entries.push(entry);
    if (this.entries.length > MAX_LINES) this.entries.shift();
    for (const l of this.listeners) l(entry);
  }

  subscribe(listener: (entry: LogEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The instance ended: followers stop. */
  close(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    for (const l of this.closeListeners) l();
    this.closeListeners.clear();
    this.listeners.clear();
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  onClose(listener: () => void): () => void {
    if (this.closedFlag) {
      listener();
      return () => undefined;
    }
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }
}

/** RFC 3339 with nanoseconds, as the kubelet prefixes lines for `--timestamps`. */
export function logTimestamp(atMs: number): string {
  const iso = new Date(Math.floor(atMs)).toISOString();
  const frac = String(Math.floor(atMs) % 1000).padStart(3, '0');
  return `${iso.slice(0, 19)}.${frac}000000Z`;
}

export interface LogQuery {
  tailLines?: number;
  sinceSeconds?: number;
  sinceTime?: string;
  timestamps?: boolean;
  limitBytes?: number;
}

/** Applies since/tail/timestamps/limitBytes in the kubelet's order. */
export function selectLines(entries: LogEntry[], query: LogQuery, nowMs: number): string[] {
  let list = entries;
  if (query.sinceSeconds !== undefined)
    list = list.filter((e) => e.atMs >= nowMs - query.sinceSeconds! * 1000);
  if (query.sinceTime !== undefined) {
    const since = Date.parse(query.sinceTime);
    if (!Number.isNaN(since)) list = list.filter((e) => e.atMs >= since);
  }
  if (query.tailLines !== undefined && query.tailLines >= 0)
    list = list.slice(Math.max(0, list.length - query.tailLines));
  let lines = list.map((e) => (query.timestamps ? `${logTimestamp(e.atMs)} ${e.line}` : e.line));
  if (query.limitBytes !== undefined && query.limitBytes > 0) {
    const out: string[] = [];
    let budget = query.limitBytes;
    for (const line of lines) {
      const size = Buffer.byteLength(line) + 1;
      if (size > budget) {
        if (budget > 0) out.push(Buffer.from(line).subarray(0, budget).toString('utf8'));
        break;
      }
      out.push(line);
      budget -= size;
    }
    lines = out;
  }
  return lines;
}
