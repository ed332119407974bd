/**
 * startKubeSim: one in-process Kubernetes API server on a port of its own, with the
 * cluster state, the audit log and a kubeconfig for each configured user, and (by
 * default) the simulated cluster behind it: controllers, scheduler, kubelets, network,
 * all timed by one sim clock that also stamps the objects' timestamps.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import { selfSignedCertificate } from './server/self-signed.ts';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { Cluster } from './api/cluster.ts';
import { Store } from './store/store.ts';
import type { ClusterApi, SimHooks } from './api/types.ts';
import { bootstrapCluster } from './bootstrap.ts';
import { kubeconfigYaml } from './kubeconfig.ts';
import { loadDocuments, parseDocuments, type DocumentHandler } from './loader/yaml.ts';
import { createAuthorizer } from './rbac/mod.ts';
import { AuditLog, type AuditEntry } from './server/audit.ts';
import { Authenticator, type UserSpec } from './server/auth.ts';
import type { ServerContext } from './server/context.ts';
import { DEFAULT_HOOKS } from './server/default-hooks.ts';
import { defaultExtensions } from './server/extensions.ts';
import { createHandler } from './server/handler.ts';
import { upgradeHandler } from './server/upgrade.ts';
import { loadState, saveState } from './state.ts';
import { createClock, type SimClock } from './clock/clock.ts';
import { startControllers, type Controllers } from './controllers/mod.ts';
import { adoptImageBehaviors, imageBehaviorDocumentHandler } from './sim/image-registry.ts';
import type { ImageBehavior } from './sim/image-behavior.ts';
import type { Scenario } from './sim/scenario.ts';
import { loadScenarioInto, resolveScenario } from './sim/scenario-start.ts';
import { addFreshClusterDefaults } from './fresh-cluster.ts';

export interface KubeSimOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** YAML files or directories (every .yaml/.yml/.json inside) loaded at start. */
  files?: string[];
  /** Saved on stop() and every 10 s; reloaded on start when it exists. */
  statePath?: string;
  /** Enforce RBAC (default true). */
  rbac?: boolean;
  /** Extra users besides `admin`. */
  users?: UserSpec[];
  /** The sim clock runs this many times faster than wall time (default 1). */
  speed?: number;
  /**
   * Wall seconds during which no timestamp lies in the wall clock's future (default 3600).
   * At speed N > 1 the sim clock starts (N − 1) × this in the past, so it reaches the wall
   * clock only after that long; kubectl never shows `<invalid>` ages before then.
   */
  clockHorizonSeconds?: number;
  /**
   * Run the simulated cluster (controllers, scheduler, kubelets, network; default true).
   * `false` gives a bare API server: nothing reconciles, no pod ever runs.
   */
  controllers?: boolean;
  /** Append every audit entry as a JSON line to this file. */
  auditLogPath?: string;
  /** Workload behaviour (logs, service proxy); defaults to "no workloads". */
  hooks?: SimHooks;
  /** How often watches with allowWatchBookmarks get a BOOKMARK (default 10 s). */
  bookmarkIntervalMs?: number;
  /** Handlers for document kinds the API does not serve (e.g. ImageBehavior), used for `files` too. */
  documentHandlers?: Record<string, DocumentHandler>;
  /** Bounded watch history (default 10,000 changes); older resourceVersions answer 410. */
  watchHistory?: number;
  /**
   * A library scenario name, a scenario file, or a parsed Scenario: its nodes, objects and
   * ImageBehaviors are loaded before the port opens, later stages once the cluster settles.
   * A bad scenario rejects with a one-line SimLoadError.
   */
  scenario?: string | Scenario;
  /**
   * kind nodes (`kind-control-plane`, `kind-worker`, …) created when neither the files nor
   * the scenario bring any. Default 1 with controllers, 0 for the bare API server.
   */
  nodes?: number;
  /**
   * Create the default StorageClass `standard` (local-path, WaitForFirstConsumer) when the
   * files and scenario bring none. Default true with controllers.
   */
  defaultStorageClass?: boolean;
}

export interface KubeSim {
  url: string;
  port: number;
  api: ClusterApi;
  /** The same object as `api`, with the store and list paging (for tests and tools). */
  cluster: Cluster;
  speed: number;
  /** The sim clock: controllers wait on it and object timestamps come from it. */
  clock: SimClock;
  /** The running controllers (exec/attach, usage, connectivity), unless `controllers: false`. */
  controllers: Controllers | undefined;
  /** The loaded scenario (options.scenario), if any. */
  scenario: Scenario | undefined;
  /** Resolves when the scenario's later stages are applied (at once without any); rejects with a SimLoadError. */
  scenarioApplied: Promise<void>;
  /** ImageBehaviors the kubelets read (live: documents loaded later append here). */
  imageBehaviors: ImageBehavior[];
  audit: { entries(): AuditEntry[]; clear(): void };
  /** Kubeconfig YAML for `user` (default "admin"). */
  kubeconfig(user?: string): string;
  writeKubeconfig(path: string, user?: string): void;
  loadYaml(text: string, sourceName: string): void;
  /** Registers a handler for documents of a kind the API does not serve (e.g. ImageBehavior). */
  registerKind(kind: string, handler: DocumentHandler): void;
  setHooks(hooks: SimHooks): void;
  /** Ends every open watch connection, as an API server restart would; returns how many. */
  dropWatches(): number;
  saveState(): void;
  stop(): Promise<void>;
}

function expandFiles(paths: string[]): string[] {
  return paths.flatMap((p) =>
    statSync(p).isDirectory()
      ? readdirSync(p)
          .filter((f) => /\.(ya?ml|json)$/.test(f))
          .sort()
          .map((f) => join(p, f))
      : [p],
  );
}

export async function startKubeSim(options: KubeSimOptions = {}): Promise<KubeSim> {
  // Read the scenario first: a missing or malformed one fails before anything starts.
  const scenario = options.scenario === undefined ? undefined : resolveScenario(options.scenario);
  const speed = options.speed ?? 1;
  const horizonMs = (options.clockHorizonSeconds ?? 3600) * 1000;
  const clock = createClock(speed, Date.now() - Math.max(0, speed - 1) * horizonMs);
  const cluster = new Cluster(
    new Store(options.watchHistory ? { historyLimit: options.watchHistory } : {}),
  );
  cluster.now = clock.now;
  const restored = options.statePath ? loadState(cluster, options.statePath) : false;
  if (!restored) bootstrapCluster(cluster);
  const adminToken = randomBytes(24).toString('hex');
  const users: UserSpec[] = [
    { token: adminToken, username: 'admin', groups: ['system:masters'] },
    ...(options.users ?? []),
  ];
  const authn = new Authenticator(users);
  const reviewAuthorizer = createAuthorizer(cluster);
  const audit = new AuditLog(options.auditLogPath ? { file: options.auditLogPath } : {});
  let address = '127.0.0.1:0';
  const ctx: ServerContext = {
    cluster,
    hooks: options.hooks ?? DEFAULT_HOOKS,
    extensions: defaultExtensions(),
    audit,
    authorizer: options.rbac === false ? undefined : reviewAuthorizer,
    reviewAuthorizer,
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 10_000,
    serverAddress: () => address,
    activeWatches: new Set(),
    authn,
  };
  // ImageBehavior documents (in `files` or loadYaml) feed the kubelets; a caller's own handler wins.
  const imageBehaviors: ImageBehavior[] = [];
  const handlers = new Map<string, DocumentHandler>([
    ['ImageBehavior', imageBehaviorDocumentHandler(imageBehaviors)],
    ...Object.entries(options.documentHandlers ?? {}),
  ]);
  const loadYaml = (text: string, source: string): void => {
    loadDocuments(cluster, parseDocuments(text, source, handlers), source, handlers);
  };
  const controllers =
    options.controllers === false
      ? undefined
      : startControllers(cluster, clock, { imageBehaviors: () => imageBehaviors });
  if (controllers) {
    ctx.hooks = options.hooks ?? controllers.hooks;
    ctx.metrics = controllers.node;
  }
  // Files load after the controllers start (their admission plugins — quota, LimitRange,
  // default StorageClass — must see every object, as on a real cluster) and before the
  // port opens, so a malformed file fails the start cleanly.
  let scenarioApplied = Promise.resolve();
  try {
    for (const file of expandFiles(options.files ?? [])) loadYaml(readFileSync(file, 'utf8'), file);
    const simulated = options.controllers !== false;
    const declares = (kind: string) => scenario?.stages.some((s) => s.some((o) => o.kind === kind));
    if (!restored) {
      addFreshClusterDefaults(cluster, clock.nowIso(), {
        nodes: scenario ? 0 : (options.nodes ?? (simulated ? 1 : 0)),
        storageClass: (options.defaultStorageClass ?? simulated) && !declares('StorageClass'),
      });
    }
    // After a state reload the scenario's objects are in the state; its behaviours are not.
    if (scenario)
      scenarioApplied = loadScenarioInto(cluster, clock, imageBehaviors, scenario, !restored);
  } catch (error) {
    controllers?.stop();
    clock.stopAll();
    reviewAuthorizer.close();
    throw error;
  }
  const handler = createHandler(ctx, authn);
  const server: Server = createServer(
    selfSignedCertificate(),
    (req, res) => void handler(req, res),
  );
  server.on(
    'upgrade',
    upgradeHandler(ctx, () => controllers?.node),
  );
  server.keepAliveTimeout = 30_000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  }).catch((error: unknown) => {
    controllers?.stop();
    clock.stopAll();
    reviewAuthorizer.close();
    throw error;
  });
  const port = (server.address() as AddressInfo).port;
  address = `${host}:${port}`;
  const url = `https://${host}:${port}`;
  const save = (): void => {
    if (options.statePath) saveState(cluster, options.statePath);
  };
  let savedRv = cluster.store.resourceVersion;
  const saver = options.statePath
    ? setInterval(() => {
        if (cluster.store.resourceVersion === savedRv) return;
        savedRv = cluster.store.resourceVersion;
        save();
      }, 10_000)
    : undefined;
  saver?.unref();
  const tokenOf = (user: string): string => {
    const token = authn.tokenOf(user);
    if (!token) throw new Error(`kube-sim has no user "${user}"; configure it with options.users`);
    return token;
  };
  const sim: KubeSim = {
    url,
    port,
    api: cluster,
    cluster,
    speed: clock.speed,
    clock,
    controllers,
    scenario,
    scenarioApplied,
    imageBehaviors,
    audit: { entries: () => audit.entries(), clear: () => audit.clear() },
    kubeconfig: (user = 'admin') => kubeconfigYaml(url, user, tokenOf(user)),
    writeKubeconfig: (path, user = 'admin') =>
      writeFileSync(path, kubeconfigYaml(url, user, tokenOf(user)), { mode: 0o600 }),
    loadYaml,
    registerKind: (kind, h) => void handlers.set(kind, h),
    setHooks: (hooks) => {
      ctx.hooks = hooks;
    },
    saveState: save,
    dropWatches: () => {
      const open = [...ctx.activeWatches];
      for (const res of open) res.end();
      return open.length;
    },
    stop: async () => {
      controllers?.stop();
      clock.stopAll();
      if (saver) clearInterval(saver);
      save();
      reviewAuthorizer.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  adoptImageBehaviors(sim, imageBehaviors);
  return sim;
}
