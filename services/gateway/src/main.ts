import { startTelemetry } from '@opsloop/telemetry';
import { EventLog } from '@opsloop/eventlog';
import { OpsEvents } from '@opsloop/contracts';
import { connectCluster } from '@opsloop/kube-tools';
import {
  connectNats,
  createLogger,
  parseConfig,
  runService,
  startHealthServer,
  usage,
} from '@opsloop/service-kit';
import { GATEWAY_SETTINGS, GatewayConfig } from './config.ts';
import { loadGatewayUsers, startGateway, streamReady } from './gateway.ts';
import { GatewayMetrics } from './metrics.ts';

const argv = process.argv.slice(2);
if (argv.includes('--help')) {
  process.stdout.write(`${usage('opsloop-gateway', GATEWAY_SETTINGS)}\n`);
  process.exit(0);
}

await runService('gateway', async () => {
  const config = parseConfig(GatewayConfig, GATEWAY_SETTINGS, argv);
  // Traces continue across services through each event's traceparent (OTLP when configured).
  const telemetry = startTelemetry(
    { serviceName: 'opsloop-gateway' },
    config.otlpEndpoint
      ? { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: config.otlpEndpoint }
      : process.env,
  );
  const users = loadGatewayUsers(config);
  const logger = createLogger('gateway', config.logLevel);
  const nc = await connectNats(config.natsUrl, 'opsloop-gateway');
  const log = await EventLog.open(nc, OpsEvents);
  const cluster = await connectCluster({
    kubeconfigPath: config.kubeconfig,
    context: config.context,
  });
  // The health server registers the process metrics itself when it runs.
  const metrics = new GatewayMetrics({ defaultMetrics: config.healthPort === undefined });
  const gateway = await startGateway(config, { nc, log, cluster, logger, metrics, users });
  const health =
    config.healthPort === undefined
      ? undefined
      : await startHealthServer({
          port: config.healthPort,
          ready: () => streamReady(nc, log),
          registry: gateway.metrics.registry,
        });
  return {
    logger,
    details: { url: gateway.url, healthPort: health?.port, server: cluster.server },
    running: {
      async stop() {
        await gateway.stop();
        await telemetry.shutdown();
        await health?.close();
        await nc.drain();
      },
    },
  };
});
