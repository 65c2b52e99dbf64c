/** Learned detectors: hashed n-gram features → per-head logistic regression → calibrated category scores. */
export {
  ARTIFACT_FILE,
  type Artifact,
  type ArtifactHeader,
  decodeArtifact,
  encodeArtifact,
} from './artifact.js';
export { applyKnots, buildKnots, type Knots, type OperatingPoints, operatingPoint } from './calibrate.js';
export {
  cachedModel,
  createLearnedDetector,
  createLearnedDetectorFromModel,
  EVIDENCE_MIN_SCORE,
  loadModel,
  packageModelsDir,
} from './detector.js';
export { LearnedModel, type SideScore } from './model.js';
