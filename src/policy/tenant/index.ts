export * from './schema.js';
export { loadPolicyFile, parsePolicy, resolvePolicySetting } from './load.js';
export {
  createTenantResolver,
  sha256Hex,
  type KeyMatch,
  type TenantPolicy,
  type TenantResolver,
} from './resolve.js';
export { createRateLimiter, type RateLimiter } from './rate-limit.js';
export { decide, type Decision, type PartForDecision } from './decide.js';
