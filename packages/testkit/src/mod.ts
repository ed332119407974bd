export { freePort } from './free-port.ts';
export { findBinary } from './find-binary.ts';
export { startNatsServer, natsServerBinary, type NatsServer } from './nats-server.ts';
export { spawnService, type ServiceProcess } from './process.ts';
