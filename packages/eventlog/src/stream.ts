import {
  DiscardPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
  type StreamConfig,
  type StreamInfo,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';
import { StreamConfigMismatchError, type ConfigMismatch } from './errors.ts';

export interface StreamOptions {
  /** Stream name; `OPS` in production, another name only in tests. */
  name?: string;
  /** Subject prefix; each operation is the subject `<prefix>.<opId>`. */
  subjectPrefix?: string;
  /**
   * How long JetStream remembers a Nats-Msg-Id. Must exceed the longest time a publisher
   * may retry an append (client timeout × retries, plus a reconnect): 2 minutes by default.
   * A retry after the window is still safe for `EventLog.append` (it compares event ids
   * before appending) but not for raw publishes.
   */
  duplicateWindowMs?: number;
  /** JetStream replicas (3 on a NATS cluster). Not verified: it may be scaled in place. */
  replicas?: number;
}

export interface ResolvedStreamOptions {
  name: string;
  subjectPrefix: string;
  duplicateWindowMs: number;
  replicas: number;
}

export function resolveStreamOptions(options: StreamOptions = {}): ResolvedStreamOptions {
  return {
    name: options.name ?? 'OPS',
    subjectPrefix: options.subjectPrefix ?? 'ops.op',
    duplicateWindowMs: options.duplicateWindowMs ?? 120_000,
    replicas: options.replicas ?? 1,
  };
}

/** The stream config the event log's guarantees rest on. */
export function opsStreamConfig(
  options: ResolvedStreamOptions,
): Partial<StreamConfig> & { name: string } {
  return {
    name: options.name,
    subjects: [`${options.subjectPrefix}.*`],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    // An audit log: nothing is ever removed or rewritten.
    deny_delete: true,
    deny_purge: true,
    allow_rollup_hdrs: false,
    duplicate_window: nanos(options.duplicateWindowMs),
    max_msgs_per_subject: -1,
    max_msgs: -1,
    max_bytes: -1,
    max_age: 0,
    discard: DiscardPolicy.Old,
    num_replicas: options.replicas,
  };
}

/**
 * Creates the OPS stream if it is missing. If it exists, checks every setting the event
 * log depends on and throws StreamConfigMismatchError listing each difference: a service
 * must not run on a log that can lose, purge or fail to deduplicate events.
 */
export async function ensureStream(
  jsm: JetStreamManager,
  options: StreamOptions = {},
): Promise<StreamInfo> {
  const resolved = resolveStreamOptions(options);
  const wanted = opsStreamConfig(resolved);
  const existing = await streamInfo(jsm, wanted.name);
  if (existing === null) return jsm.streams.add(wanted);
  const mismatches = compareStreamConfig(wanted, existing.config, resolved.duplicateWindowMs);
  if (mismatches.length > 0) throw new StreamConfigMismatchError(wanted.name, mismatches);
  return existing;
}

/** Pure: the fields of `actual` that break the event log's guarantees. */
export function compareStreamConfig(
  wanted: Partial<StreamConfig>,
  actual: Partial<StreamConfig>,
  minDuplicateWindowMs: number,
): ConfigMismatch[] {
  const mismatches: ConfigMismatch[] = [];
  const exact = [
    'storage',
    'retention',
    'deny_delete',
    'deny_purge',
    'allow_rollup_hdrs',
    'max_msgs_per_subject',
    'max_msgs',
    'max_bytes',
    'max_age',
  ] as const;
  for (const field of exact) {
    // Servers omit false booleans from the config they return.
    const a = actual[field] ?? (typeof wanted[field] === 'boolean' ? false : undefined);
    if (a !== wanted[field]) mismatches.push({ field, expected: wanted[field], actual: a ?? null });
  }
  const wantedSubjects = [...(wanted.subjects ?? [])].sort();
  const actualSubjects = [...(actual.subjects ?? [])].sort();
  if (JSON.stringify(wantedSubjects) !== JSON.stringify(actualSubjects)) {
    mismatches.push({ field: 'subjects', expected: wantedSubjects, actual: actualSubjects });
  }
  const actualWindow = actual.duplicate_window ?? 0;
  if (actualWindow < nanos(minDuplicateWindowMs)) {
    mismatches.push({
      field: 'duplicate_window',
      expected: `>= ${nanos(minDuplicateWindowMs)} ns (${minDuplicateWindowMs / 1000} s)`,
      actual: actualWindow,
    });
  }
  return mismatches;
}

async function streamInfo(jsm: JetStreamManager, name: string): Promise<StreamInfo | null> {
  try {
    return await jsm.streams.info(name);
  } catch (err) {
    if (err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound)
      return null;
    throw err;
  }
}

export { streamInfo as findStream };
