/** Public programmatic API. The CLI is a thin shell over these. */
export * from './core/types.js';
export { ERROR_CODES, InterdictError, isInterdictError, type ErrorCode } from './core/errors.js';
export { CATEGORY_INFO } from './core/taxonomy.js';
export { loadConfig, parseConfig, type LoadConfigOptions } from './config/load.js';
export type { Config, ConfigInput } from './config/schema.js';
export { createScreener, createScreenerFromParts, type Screener, type Detector } from './detect/index.js';
export {
  createNormalizer,
  DEFAULT_LIMITS as DEFAULT_NORMALIZE_LIMITS,
  type NormalizeFinding,
  type NormalizeLimits,
  type Normalized,
  type Normalizer,
  type TextView,
} from './normalize/index.js';
export { createObfuscationDetector } from './detect/obfuscation.js';
export {
  createPiiDetector,
  createSecretsDetector,
  leakDetectorsFor,
  PII_TYPES,
  redact,
  redactVerdict,
  scanPii,
  scanSecrets,
  toOriginalOffset,
  toRedactedOffset,
  type PiiType,
  type RedactionResult,
  type RedactionSpan,
  type RedactOptions,
} from './detect/leaks/index.js';
export {
  loadRuleSet,
  compileRuleSet,
  createRuleDetector,
  defaultRulesDir,
  type Rule,
  type RuleSet,
  type CompiledRuleSet,
} from './detect/rules/index.js';
export type { EventAnalysis, InteractionEvent, PartVerdict, RecordedEvent } from './core/event.js';
export { openStore, storeFlags, type EventStore, type Level, LEVELS } from './store/index.js';
export {
  ingestFile,
  createAnalyzer,
  contentPolicy,
  type IngestOptions,
  type IngestSummary,
} from './ingest/index.js';
export { scoreAccounts, type AccountRisk, fingerprint, hamming, jaccard } from './monitor/index.js';
export { createEnforcement, Enforcement, type AccountStatus } from './policy/enforcement/index.js';
export {
  createGateway,
  startGateway,
  createBatchingRecorder,
  MemoryEventLog,
  explainEvent,
  DECISION_HEADER,
  EVENT_ID_HEADER,
  type Gateway,
  type GatewayDeps,
  type RunningGateway,
  type EventRecorder,
  type EventReader,
  type AccountStatus as GatewayAccountStatus,
} from './gateway/index.js';
export {
  parsePolicy,
  loadPolicyFile,
  decide,
  type Policy,
  type PolicyInput,
  type TenantPolicy,
} from './policy/tenant/index.js';
export { createLearnedDetector, loadModel, LearnedModel } from './detect/learned/index.js';
export { evaluateRows, summarise, type SetReport } from './eval/run.js';
export { readLabelledSet, type LabelledRow } from './detect/learned/dataset.js';
