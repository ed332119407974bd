/** @opsloop/service-kit: what every Opsloop service process shares (config, logs, health, NATS, run). */
export {
  COMMON_SETTINGS,
  CommonConfig,
  ConfigError,
  parseConfig,
  usage,
  type Setting,
} from './config.ts';
export { startHealthServer, type HealthServer } from './health.ts';
export { connectNats, parseNatsUrl, redactNatsUrl, type NatsTarget } from './nats.ts';
export { createLogger, runService, type Logger, type RunningService } from './run.ts';
export { spawnService, type ServiceProcess } from './spawn.ts';
