/** The gateway: an OpenAI- and Anthropic-compatible proxy that screens both ways. */
export { createGateway, type Gateway, type GatewayDeps } from './app.js';
export { startGateway, type RunningGateway } from './server.js';
export {
  createBatchingRecorder,
  MemoryEventLog,
  type BatchingRecorder,
  type EventBatchSink,
} from './recorder.js';
export { createThreadRecorder, type ThreadRecorder } from './record-thread.js';
export { serveRecordThread } from './record-thread-worker.js';
export type { ExchangeRecord } from './exchange.js';
export { DECISION_HEADER, EVENT_ID_HEADER } from './respond.js';
export { explainEvent } from './explain.js';
export {
  ACCOUNT_LEVELS,
  NO_ACCOUNT_STATUS,
  type AccountLevel,
  type AccountStatus,
  type ApiKind,
  type EventReader,
  type EventRecorder,
} from './types.js';
