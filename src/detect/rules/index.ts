import { resolve } from 'node:path';
import type { ScreeningConfig } from '../../config/sections/screening.js';
import type { Detector } from '../types.js';
import { type CompiledRuleSet, compileRuleSet } from './compile.js';
import { createRuleDetector } from './detector.js';
import { loadRuleSet } from './loader.js';
import { defaultRulesDir } from '../../core/package-root.js';

export {
  type CompiledRule,
  type CompiledRuleSet,
  compileRuleSet,
  ruleScore,
} from './compile.js';
export { createRuleDetector, DEOBFUSCATED_BONUS } from './detector.js';
export { loadRuleSet, type LoadRuleSetOptions, parseRuleFile, REGEX_LIMITS, regexProblem } from './loader.js';
export { defaultRulesDir, packageRoot } from '../../core/package-root.js';
export { RULE_CATEGORIES, type Rule, type RuleCategory, type RuleSet, SEVERITY_SCORES } from './schema.js';

const cache = new Map<string, CompiledRuleSet>();

/**
 * Loads and compiles the rule set a screening config names (`screening.rules.dir`, default the package's
 * own rules/; `screening.rules.disabled` switches rules off). Compiled sets are cached per (dir, disabled),
 * so building many screeners costs one load. Throws INTERDICT_RULES_INVALID on a broken rule set.
 */
export function compiledRulesFor(config: Pick<ScreeningConfig, 'rules'>): CompiledRuleSet {
  const dir = resolve(config.rules.dir ?? defaultRulesDir());
  const disabled = [...config.rules.disabled].sort();
  const key = JSON.stringify([dir, disabled]);
  let compiled = cache.get(key);
  if (!compiled) {
    compiled = compileRuleSet(loadRuleSet(dir, { disabled }));
    cache.set(key, compiled);
  }
  return compiled;
}

/** The rule detector for a screening config. */
export function ruleDetectorFor(config: Pick<ScreeningConfig, 'rules'>): Detector {
  return createRuleDetector(compiledRulesFor(config));
}

/** Drops cached compiled sets (after rule files change on disk). */
export function clearRuleCache(): void {
  cache.clear();
}
