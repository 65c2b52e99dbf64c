/** Public programmatic API. The CLI is a thin shell over these. */
export * from './core/types.js';
export { ERROR_CODES, InterdictError, isInterdictError, type ErrorCode } from './core/errors.js';
export { CATEGORY_INFO } from './core/taxonomy.js';
export { loadConfig, parseConfig, type LoadConfigOptions } from './config/load.js';
export type { Config, ConfigInput } from './config/schema.js';
export { createScreener, createScreenerFromParts, type Screener, type Detector } from './detect/index.js';
export { createNormalizer } from './normalize/index.js';
