/**
 * @opsloop/eventlog: the event log of operations on NATS JetStream (stream OPS, one subject
 * per operation), generic over an EventRegistry. Works on nats-server 2.9.10 and newer: no
 * multi-filter consumers, wildcard expected-subject checks or KV multi-key watches are used.
 */
export {
  ensureStream,
  compareStreamConfig,
  opsStreamConfig,
  resolveStreamOptions,
  type StreamOptions,
} from './stream.ts';
export {
  EventLog,
  type AnyDefinition,
  type AppendResult,
  type EventPosition,
  type OpHead,
  type ReadResult,
  type ReplayOptions,
  type ReplayPosition,
} from './event-log.ts';
export { verifyChain, type ChainHead } from './chain.ts';
export {
  ConcurrencyError,
  HashChainBrokenError,
  ReadIncompleteError,
  StreamConfigMismatchError,
  type ChainBreak,
  type ConfigMismatch,
} from './errors.ts';
export {
  consume,
  type ConsumeOptions,
  type ConsumerStats,
  type HandlerContext,
  type RunningConsumer,
} from './consumer.ts';
export { ProcessedIds, type ProcessedIdsOptions } from './processed.ts';
export {
  DeadLetterHeader,
  ensureDeadLetterStream,
  type DeadLetterStreamOptions,
} from './dead-letter.ts';
export {
  ProjectionRunner,
  type Projection,
  type ProjectionOptions,
  type StoredState,
} from './projection.ts';
export { OP_VERSION_HEADER } from './codec.ts';
export {
  OPERATION_SUMMARY_BUCKET,
  applyToSummary,
  emptySummary,
  operationSummaryProjection,
  type OperationSummary,
} from './operation-summary.ts';
export { OperationSession, untilReachable, type OpsLog } from './operation-session.ts';
