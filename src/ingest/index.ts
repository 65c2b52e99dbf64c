export { createAnalyzer, userText, type Analyzer, type AnalyzedEvent } from './analyze.js';
export { applyContentMode, contentPolicy, redactText, type ContentPolicy } from './content.js';
export { type ChunkResult, type IngestProblem, processChunk } from './chunk.js';
export {
  checkpointSource,
  ingestFile,
  type IngestOptions,
  type IngestSummary,
  resolveWorkers,
} from './ingest.js';
export { parseEventRow, type ParsedRow } from './validate.js';
