import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { InterdictError } from '../../core/errors.js';
import { validationError } from '../../config/validation.js';
import { type Policy, policySchema } from './schema.js';

/** Validates a policy object; every problem is reported with its path (never with key material). */
export function parsePolicy(input: unknown, origin = 'policy'): Policy {
  const result = policySchema.safeParse(input ?? {});
  if (!result.success) throw validationError('policy', origin, result.error.issues);
  return result.data;
}

/** Reads a policy YAML/JSON file. A relative path is resolved against `baseDir` (the config file's folder). */
export function loadPolicyFile(file: string, baseDir = process.cwd()): Policy {
  const path = isAbsolute(file) ? file : resolve(baseDir, file);
  if (!existsSync(path))
    throw new InterdictError('INTERDICT_CONFIG_NOT_FOUND', `policy file not found: ${path}`);
  let parsed: unknown;
  try {
    parsed = parseYaml(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new InterdictError('INTERDICT_CONFIG_INVALID', `policy file is not valid YAML/JSON: ${path}`, [], {
      cause: err,
    });
  }
  return parsePolicy(parsed, path);
}

/** Resolves the gateway's `policy` setting: absent → empty policy, string → file, object → inline. */
export function resolvePolicySetting(setting: unknown, configFile?: string): Policy {
  if (setting === undefined) return parsePolicy({});
  if (typeof setting === 'string')
    return loadPolicyFile(setting, configFile ? dirname(configFile) : process.cwd());
  return parsePolicy(setting);
}
