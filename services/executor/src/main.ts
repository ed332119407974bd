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
import { EXECUTOR_SETTINGS, ExecutorConfig } from './config.ts';
import { startExecutor } from './executor.ts';

const argv = process.argv.slice(2);
if (argv.includes('--help')) {
  process.stdout.write(`${usage('opsloop-executor', EXECUTOR_SETTINGS)}\n`);
  process.exit(0);
}

await runService('executor', async () => {
  const config = parseConfig(ExecutorConfig, EXECUTOR_SETTINGS, argv);
  // Traces continue across services through each event's traceparent (OTLP when configured).
  const telemetry = startTelemetry(
    { serviceName: 'opsloop-executor' },
    config.otlpEndpoint
      ? { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: config.otlpEndpoint }
      : process.env,
  );
  const logger = createLogger('executor', config.logLevel);
  const nc = await connectNats(config.natsUrl, 'opsloop-executor');
  const log = await EventLog.open(nc, OpsEvents);
  const cluster = await connectCluster({
    kubeconfigPath: config.kubeconfig,
    context: config.context,
    userAgent: config.userAgent,
  });
  const executor = await startExecutor({ ...config, log, cluster, logger });
  const health =
    config.healthPort === undefined
      ? undefined
      : await startHealthServer({ port: config.healthPort, ready: () => executor.ready() });
  return {
    logger,
    details: { healthPort: health?.port, server: cluster.server },
    running: {
      async stop() {
        await executor.stop();
        await telemetry.shutdown();
        await health?.close();
        await nc.drain();
      },
    },
  };
});
