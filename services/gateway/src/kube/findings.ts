import {
  analyzeSnapshot,
  loadClusterScoped,
  loadSnapshot,
  toFindingPayload,
  type Cluster,
  type Finding,
} from '@opsloop/kube-tools';
import type { Finding as FindingPayload } from '@opsloop/contracts';

type ClusterScoped = Awaited<ReturnType<typeof loadClusterScoped>>;

/** What GET /namespaces/{ns}/findings returns: the analyzers' findings as contracts' shape. */
export interface NamespaceFindings {
  namespace: string;
  /** When the snapshot was read (the cluster's "now" as kube-tools sees it). */
  observedAt: string;
  findings: (FindingPayload & {
    /** The typed fix the analyzers would propose first, if any (a plan still needs a request). */
    proposedFix: { action: string; reasoning: string } | null;
  })[];
  /** Kinds the gateway's identity may not list: their findings are unknown, not absent. */
  unreadable: { resource: string; reason: string }[];
}

export interface FindingsOptions {
  /** How long one namespace's findings are reused (default 10 s). */
  ttlMs?: number;
  /** A snapshot taking longer than this fails (default 15 s). */
  timeoutMs?: number;
  /** Snapshots read at once, over all namespaces (default 2). */
  concurrency?: number;
  now?: () => number;
}

/** The findings could not be read in time, or the API server failed. */
export class FindingsUnavailable extends Error {}

/**
 * The analyzers of kube-tools over one namespace, read with the gateway's own read-only
 * identity. Bounded: a snapshot per namespace at most every `ttlMs` (concurrent callers share
 * the one in flight), at most `concurrency` snapshots at once, each within `timeoutMs`. The
 * text in a finding (evidence, explanation) is cluster data, already redacted and quoted by
 * kube-tools; the console renders it as data, never as markup or instructions.
 */
export class FindingsSource {
  private readonly cluster: Cluster;
  private readonly ttlMs: number;
  private readonly timeoutMs: number;
  private readonly concurrency: number;
  private readonly now: () => number;
  private readonly cache = new Map<string, { at: number; value: Promise<NamespaceFindings> }>();
  private shared: { at: number; value: Promise<ClusterScoped> } | undefined;
  private running = 0;
  private readonly queue: (() => void)[] = [];

  constructor(cluster: Cluster, options: FindingsOptions = {}) {
    this.cluster = cluster;
    this.ttlMs = options.ttlMs ?? 10_000;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.concurrency = options.concurrency ?? 2;
    this.now = options.now ?? Date.now;
  }

  get(namespace: string): Promise<NamespaceFindings> {
    const hit = this.cache.get(namespace);
    if (hit !== undefined && this.now() - hit.at < this.ttlMs) return hit.value;
    const value = this.limited(() => this.read(namespace));
    this.cache.set(namespace, { at: this.now(), value });
    // A failure is not kept: the next caller tries again.
    value.catch(() => {
      if (this.cache.get(namespace)?.value === value) this.cache.delete(namespace);
    });
    if (this.cache.size > 1000) this.cache.delete(this.cache.keys().next().value!);
    return value;
  }

  private async read(namespace: string): Promise<NamespaceFindings> {
    const snapshot = await withTimeout(
      loadSnapshot(this.cluster, namespace, await this.clusterScoped()),
      this.timeoutMs,
    );
    return {
      namespace,
      observedAt: snapshot.takenAt,
      findings: analyzeSnapshot(snapshot).map(toApi),
      unreadable: snapshot.unreadable,
    };
  }

  /** Storage classes, ingress classes, webhooks: the same for every namespace, read once per ttl. */
  private clusterScoped(): Promise<ClusterScoped> {
    if (this.shared === undefined || this.now() - this.shared.at >= this.ttlMs) {
      const value = withTimeout(loadClusterScoped(this.cluster), this.timeoutMs);
      this.shared = { at: this.now(), value };
      value.catch(() => {
        if (this.shared?.value === value) this.shared = undefined;
      });
    }
    return this.shared.value;
  }

  private async limited<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      await new Promise<void>((resolve) => this.queue.push(resolve));
    }
    this.running++;
    try {
      return await task();
    } finally {
      this.running--;
      this.queue.shift()?.();
    }
  }
}

function toApi(finding: Finding): NamespaceFindings['findings'][number] {
  const first = finding.remediations[0];
  return {
    ...toFindingPayload(finding),
    proposedFix: first === undefined ? null : { action: first.action, reasoning: first.reasoning },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new FindingsUnavailable(`the cluster did not answer within ${ms} ms`)),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
