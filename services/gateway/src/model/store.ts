import { ProjectionRunner, type EventLog, type Projection } from '@opsloop/eventlog';
import type { OpsEvent, opsEventDefinitions } from '@opsloop/contracts';
import { applyToView } from './apply.ts';
import { emptyView, type OperationView } from './view.ts';

type Defs = (typeof opsEventDefinitions)[number];
export type OpsLog = EventLog<Defs>;
export type EventListener = (event: OpsEvent, version: number) => void;

/** KV bucket of the gateway's read model: one OperationView per operation. */
export const OPERATION_VIEW_BUCKET = 'ops_gateway_views';

/**
 * The operation read model: eventlog's ProjectionRunner keeps it in JetStream KV (so it is
 * rebuilt from the stream at any time and survives restarts), and this keeps an index of
 * every view in memory for listing, plus per-operation listeners for live streams.
 * Listeners are called as the runner folds each event, in stream order, exactly once.
 */
export class OperationStore {
  private readonly views = new Map<string, OperationView>();
  private readonly listeners = new Map<string, Set<EventListener>>();
  private runner!: ProjectionRunner<Defs, OperationView>;

  readonly projection: Projection<OpsEvent, OperationView> = {
    name: 'gateway-operations',
    initial: emptyView,
    apply: (view, event) => {
      const next = applyToView(view, event);
      this.views.set(next.id, next);
      for (const listener of this.listeners.get(next.id) ?? []) listener(event, next.eventCount);
      return next;
    },
  };

  /** Opens (or, with `rebuild`, recreates from the first event) the read model and follows the stream. */
  static async open(log: OpsLog, options: { bucket?: string; rebuild?: boolean } = {}) {
    const store = new OperationStore();
    const bucket = { bucket: options.bucket ?? OPERATION_VIEW_BUCKET };
    store.runner = options.rebuild
      ? await ProjectionRunner.rebuild(log, store.projection, bucket)
      : await ProjectionRunner.open(log, store.projection, bucket);
    for (const [id, view] of await store.runner.all())
      if (!store.views.has(id)) store.views.set(id, view);
    await store.runner.catchUp();
    await store.runner.start();
    return store;
  }

  get checkpoint(): number {
    return this.runner.lastSequence;
  }

  get skipped(): number {
    return this.runner.skipped;
  }

  get(opId: string): OperationView | undefined {
    return this.views.get(opId);
  }

  all(): IterableIterator<OperationView> {
    return this.views.values();
  }

  get size(): number {
    return this.views.size;
  }

  /** Resolves true once everything up to `sequence` is folded, false after `timeoutMs`. */
  async waitFor(sequence: number, timeoutMs = 5000): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      return await Promise.race([this.runner.waitFor(sequence).then(() => true as const), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  subscribe(opId: string, listener: EventListener): () => void {
    let set = this.listeners.get(opId);
    if (set === undefined) this.listeners.set(opId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(opId);
    };
  }

  async stop(): Promise<void> {
    await this.runner.stop();
  }
}
