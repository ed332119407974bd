/** Filtered, paginated lists straight from the store's entries (no copies of objects). */
import type { ResourceType } from '../resources.ts';
import type { Entry, Store } from '../store/store.ts';
import { parseFieldSelector, parseLabelSelector } from '../store/selectors.ts';
import { fromStorage, needsConversion, storageKeyOf } from './convert.ts';
import { badRequest, gone } from './errors.ts';

export interface PageOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
}

export interface ListPage {
  entries: Entry[];
  resourceVersion: number;
  continue?: string;
  remainingItemCount?: number;
}

interface ContinueToken {
  rv: number;
  after: string;
}

function encode(token: ContinueToken): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function decode(text: string): ContinueToken {
  try {
    const token = JSON.parse(Buffer.from(text, 'base64url').toString()) as ContinueToken;
    if (typeof token.rv !== 'number' || typeof token.after !== 'string') throw new Error('bad');
    return token;
  } catch {
    throw badRequest(
      'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
    );
  }
}

const EXPIRED =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

function keyOf(entry: Entry): string {
  return `${entry.object.metadata.namespace ?? ''}/${entry.object.metadata.name}`;
}

export function listPage(
  store: Store,
  resource: ResourceType,
  namespace: string | undefined,
  options: PageOptions,
): ListPage {
  const labels = parseLabelSelector(options.labelSelector);
  const fields = parseFieldSelector(options.fieldSelector, resource.kind);
  let entries = store.list(storageKeyOf(resource), namespace);
  let rv = store.resourceVersion;
  if (options.continue) {
    const token = decode(options.continue);
    if (token.rv < store.oldestWatchableRv) throw gone(EXPIRED);
    rv = token.rv;
    // Entries are sorted by namespace/name; resume after the last key served.
    let lo = 0;
    let hi = entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (keyOf(entries[mid]!) <= token.after) lo = mid + 1;
      else hi = mid;
    }
    entries = entries.slice(lo);
  }
  if (labels || fields) {
    const convert = fields !== undefined && needsConversion(resource);
    entries = entries.filter((e) => {
      if (labels && !labels(e.object)) return false;
      return !fields || fields(convert ? fromStorage(resource, e.object) : e.object);
    });
  }
  const limit = options.limit ?? 0;
  if (limit > 0 && entries.length > limit) {
    const page = entries.slice(0, limit);
    return {
      entries: page,
      resourceVersion: rv,
      continue: encode({ rv, after: keyOf(page[page.length - 1]!) }),
      remainingItemCount: labels || fields ? undefined : entries.length - limit,
    };
  }
  return { entries, resourceVersion: rv };
}
