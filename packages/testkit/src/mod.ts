export { freePort } from './free-port.ts';
export { findBinary } from './find-binary.ts';
export { startNatsServer, natsServerBinary, type NatsServer } from './nats-server.ts';
// Spawning a service process is shared with the launcher (opsloop up), so it lives in service-kit.
export { spawnService, type ServiceProcess } from '@opsloop/service-kit';
export { Kubectl, kubectlBinary, type KubectlResult } from './kubectl.ts';
