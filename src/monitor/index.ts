export { fingerprint, hamming, jaccard, tokens, type Fingerprints } from './fingerprint.js';
export { detectCodeLanguage, detectLanguage } from './language.js';
export {
  type AccountRisk,
  resolveAsOf,
  scoreAccount,
  scoreAccounts,
  type ScoreAccountsOptions,
} from './monitor.js';
export { levelForRisk, scoreRisk, type RiskComponents, type RiskFeatures, type RiskResult } from './risk.js';
export { afterRefusal, probing, similar } from './sequence.js';
