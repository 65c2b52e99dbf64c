export { createAnalyzer, userText, type Analyzer, type AnalyzedEvent } from './analyze.js';
export { applyContentMode, contentPolicy, redactText, type ContentPolicy } from './content.js';
export {
  checkpointSource,
  ingestFile,
  type IngestOptions,
  type IngestProblem,
  type IngestSummary,
} from './ingest.js';
export { parseEventRow, type ParsedRow } from './validate.js';
