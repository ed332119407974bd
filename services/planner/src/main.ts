/**
 * The planner as a process: parse config, connect, start, drain on SIGTERM.
 *   node --import tsx services/planner/src/main.ts --nats URL --kubeconfig FILE
 */
import { OpsEvents } from '@opsloop/contracts';
import { EventLog } from '@opsloop/eventlog';
import { connectCluster } from '@opsloop/kube-tools';
import {
  connectNats,
  createLogger,
  parseConfig,
  runService,
  startHealthServer,
} from '@opsloop/service-kit';
import { startTelemetry } from '@opsloop/telemetry';
import { Registry } from 'prom-client';
import { PLANNER_SETTINGS, PlannerConfig } from './config.ts';
import { plannerFromConfig } from './model/from-config.ts';
import { startPlanner } from './service.ts';

await runService('planner', async () => {
  const config = parseConfig(PlannerConfig, PLANNER_SETTINGS, process.argv.slice(2));
  const model = plannerFromConfig(config);
  const logger = createLogger('planner', config.logLevel);
  const telemetry = startTelemetry(
    { serviceName: 'opsloop-planner' },
    config.otlpEndpoint
      ? { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: config.otlpEndpoint }
      : process.env,
  );
  const cluster = await connectCluster({
    ...(config.kubeconfig === undefined ? {} : { kubeconfigPath: config.kubeconfig }),
    ...(config.context === undefined ? {} : { context: config.context }),
  });
  const nc = await connectNats(config.natsUrl, 'planner');
  const log = await EventLog.open(nc, OpsEvents);
  const registry = new Registry();
  const planner = await startPlanner({
    log,
    cluster,
    logger,
    limits: config,
    registry,
    ...(model ? { planner: model.planner } : {}),
  });
  const health =
    config.healthPort === undefined
      ? null
      : await startHealthServer({
          port: config.healthPort,
          registry,
          ready: async () => !nc.isClosed(),
        });
  return {
    logger,
    // Never the config object itself: only what is safe to print (no key, no URL credentials).
    details: {
      llm: config.llm,
      ...(model
        ? {
            model: model.provider.model,
            llmUrl: model.provider.endpoint,
            llmTools: config.llmTools,
          }
        : {}),
      cluster: cluster.server,
      healthPort: health?.port,
    },
    running: {
      async stop() {
        await planner.stop();
        await health?.close();
        await nc.drain();
        await telemetry.shutdown();
      },
    },
  };
});
