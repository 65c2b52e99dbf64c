export {
  type Decision,
  type DecisionKind,
  decide,
  durationOf,
  type EffectiveStatus,
  effectiveStatus,
  RUNGS,
} from './ladder.js';
export {
  type AccountStatus,
  createEnforcement,
  Enforcement,
  type EnforcementOptions,
  type OverrideOptions,
  type RunDecision,
  type RunOptions,
  type RunSummary,
} from './service.js';
