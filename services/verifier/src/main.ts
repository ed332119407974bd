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
import { VERIFIER_SETTINGS, VerifierConfig } from './config.ts';
import { startVerifier } from './verifier.ts';

const argv = process.argv.slice(2);
if (argv.includes('--help')) {
  process.stdout.write(`${usage('opsloop-verifier', VERIFIER_SETTINGS)}\n`);
  process.exit(0);
}

await runService('verifier', async () => {
  const config = parseConfig(VerifierConfig, VERIFIER_SETTINGS, argv);
  // Traces continue across services through each event's traceparent (OTLP when configured).
  const telemetry = startTelemetry(
    { serviceName: 'opsloop-verifier' },
    config.otlpEndpoint
      ? { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: config.otlpEndpoint }
      : process.env,
  );
  const logger = createLogger('verifier', config.logLevel);
  const nc = await connectNats(config.natsUrl, 'opsloop-verifier');
  const log = await EventLog.open(nc, OpsEvents);
  const connect = (kubeconfigPath: string | undefined) =>
    connectCluster({ kubeconfigPath, context: config.context, userAgent: config.userAgent });
  const cluster = await connect(config.kubeconfig);
  const planCluster = config.planKubeconfig ? await connect(config.planKubeconfig) : cluster;
  const verifier = await startVerifier({
    log,
    cluster,
    planCluster,
    logger,
    checks: {
      timeoutsMs: config.checkTimeouts,
      pollMs: config.pollMs,
      stableWindowMs: config.stableWindowMs,
    },
    concurrency: config.concurrency,
    ackWaitMs: config.ackWaitMs,
    maxDeliver: config.maxDeliver,
  });
  const health =
    config.healthPort === undefined
      ? undefined
      : await startHealthServer({
          port: config.healthPort,
          ready: async () => !nc.isClosed(),
        });
  return {
    logger,
    details: { healthPort: health?.port, server: cluster.server },
    running: {
      async stop() {
        await verifier.stop();
        await telemetry.shutdown();
        await health?.close();
        await nc.drain();
      },
    },
  };
});
