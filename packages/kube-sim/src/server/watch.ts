/**
 * Watch over HTTP: newline-delimited JSON watch events on a chunked response. Starts with
 * synthetic ADDED events (no resourceVersion or "0") or replays the store's history after
 * the given resourceVersion, answering an ERROR event with a 410 Status when the history
 * window no longer reaches back that far, exactly like kube-apiserver's watch cache.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResourceType } from '../resources.ts';
import type { Store, StoredChange, Entry } from '../store/store.ts';
import { parseFieldSelector, parseLabelSelector } from '../store/selectors.ts';
import { fromStorage, needsConversion, storageKeyOf } from '../api/convert.ts';
import { ApiError, badRequest } from '../api/errors.ts';
import type { KObject } from '../api/types.ts';

/**
 * Watchers that want the stored JSON as is share one serialised line per event: with many
 * watchers the fan-out then costs one string per change, not one per watcher.
 */
const lines = new WeakMap<Entry, Map<string, Buffer>>();
function eventLine(type: string, entry: Entry): Buffer {
  let byType = lines.get(entry);
  if (!byType) lines.set(entry, (byType = new Map()));
  let line = byType.get(type);
  if (line === undefined)
    byType.set(type, (line = Buffer.from(`{"type":"${type}","object":${entry.json()}}\n`)));
  return line;
}

export interface WatchRequest {
  /** True when `render` would return the stored JSON unchanged (no Table, no conversion). */
  plain: boolean;
  resource: ResourceType;
  namespace: string | undefined;
  query: URLSearchParams;
  /** Serialises one object for the response (JSON, or a Table row when the client asked). */
  render: (entry: Entry, object: KObject) => string;
  bookmarkIntervalMs: number;
}

const DEFAULT_TIMEOUT_SECONDS = 1800;

export function serveWatch(
  store: Store,
  req: IncomingMessage,
  res: ServerResponse,
  watch: WatchRequest,
): void {
  const { resource, namespace, query } = watch;
  const labels = parseLabelSelector(query.get('labelSelector') ?? undefined);
  const fields = parseFieldSelector(query.get('fieldSelector') ?? undefined, resource.kind);
  const convert = needsConversion(resource);
  const view = (entry: Entry): KObject =>
    convert ? fromStorage(resource, entry.object) : entry.object;
  const matches = (entry: Entry | undefined): boolean => {
    if (!entry) return false;
    const object = entry.object;
    if (namespace !== undefined && object.metadata.namespace !== namespace) return false;
    if (labels && !labels(object)) return false;
    return !fields || fields(view(entry));
  };
  const key = storageKeyOf(resource);
  const rvParam = query.get('resourceVersion') ?? '';
  const bookmarks = query.get('allowWatchBookmarks') === 'true';
  const timeoutSeconds = Number(query.get('timeoutSeconds') ?? DEFAULT_TIMEOUT_SECONDS);
  if (rvParam !== '' && !/^\d+$/.test(rvParam))
    throw badRequest(`invalid resource version: ${rvParam}`);

  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Transfer-Encoding': 'chunked',
    'Cache-Control': 'no-cache, private',
  });
  res.flushHeaders();
  let lastRv = store.resourceVersion;
  // Events of one tick go out in one write: a TLS write per event per watcher dominates
  // the cost of a burst with many watchers.
  let pending: (string | Buffer)[] = [];
  const flush = (): void => {
    if (pending.length === 0) return;
    const text =
      pending.length === 1
        ? pending[0]!
        : Buffer.concat(pending.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));
    pending = [];
    if (!res.writableEnded) res.write(text);
  };
  const write = (type: string, entry: Entry): void => {
    lastRv = Math.max(lastRv, entry.rv);
    if (pending.length === 0) setImmediate(flush);
    pending.push(
      watch.plain
        ? eventLine(type, entry)
        : `{"type":"${type}","object":${watch.render(entry, view(entry))}}\n`,
    );
  };
  const deliver = (change: StoredChange): void => {
    const now = matches(change.entry);
    const before = change.type !== 'ADDED' && matches(change.previous);
    if (change.type === 'ADDED') {
      if (now) write('ADDED', change.entry);
    } else if (change.type === 'DELETED') {
      if (now || before) write('DELETED', change.entry);
    } else if (now && before) write('MODIFIED', change.entry);
    else if (now) write('ADDED', change.entry);
    else if (before) write('DELETED', change.entry);
  };

  if (rvParam === '' || rvParam === '0') {
    for (const entry of store.list(key, namespace)) if (matches(entry)) write('ADDED', entry);
  } else {
    const changes = store.changesSince(key, Number(rvParam));
    if (changes === undefined) {
      const status = new ApiError(
        410,
        'Expired',
        `too old resource version: ${rvParam} (${store.oldestWatchableRv})`,
      ).toStatus();
      flush();
      res.end(`{"type":"ERROR","object":${JSON.stringify(status)}}\n`);
      return;
    }
    for (const change of changes) deliver(change);
  }
  const unsubscribe = store.subscribe(key, deliver);
  const sendBookmark = (): void => {
    const object = {
      kind: resource.kind,
      apiVersion:
        resource.group === '' ? resource.version : `${resource.group}/${resource.version}`,
      metadata: { resourceVersion: String(Math.max(lastRv, store.resourceVersion)) },
    };
    if (pending.length === 0) setImmediate(flush);
    pending.push(`{"type":"BOOKMARK","object":${JSON.stringify(object)}}\n`);
  };
  const bookmarkTimer = bookmarks ? setInterval(sendBookmark, watch.bookmarkIntervalMs) : undefined;
  const timeout = setTimeout(() => res.end(), Math.max(1, timeoutSeconds) * 1000);
  const stop = (): void => {
    unsubscribe();
    clearTimeout(timeout);
    if (bookmarkTimer) clearInterval(bookmarkTimer);
  };
  res.on('close', stop);
  req.on('error', stop);
}
