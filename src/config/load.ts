import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { InterdictError } from '../core/errors.js';
import { type Config, type ConfigInput, configSchema } from './schema.js';
import { validationError } from './validation.js';

export interface LoadConfigOptions {
  /** YAML or JSON file. */
  file?: string;
  /** Environment to read INTERDICT_* variables from (default: none). */
  env?: Record<string, string | undefined>;
  /** Overrides from command-line flags, already shaped like the config. */
  flags?: DeepPartial<ConfigInput>;
}

export type DeepPartial<T> = T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

type Plain = Record<string, unknown>;

function isPlain(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function merge(base: Plain, over: Plain): Plain {
  const out: Plain = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) continue;
    const prev = out[key];
    out[key] = isPlain(prev) && isPlain(value) ? merge(prev, value) : value;
  }
  return out;
}

/** INTERDICT_STORE__PATH=x → { store: { path: 'x' } }. Values parse as JSON when they can (numbers, booleans). */
export function configFromEnv(env: Record<string, string | undefined>): Plain {
  const out: Plain = {};
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith('INTERDICT_') || raw === undefined) continue;
    const path = name
      .slice('INTERDICT_'.length)
      .split('__')
      .map((part) => part.toLowerCase().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()));
    if (path.length < 2) continue; // section-less variables (e.g. INTERDICT_CONFIG) are not config keys
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      value = raw;
    }
    let node = out;
    for (const part of path.slice(0, -1)) {
      const next = isPlain(node[part]) ? (node[part] as Plain) : {};
      node[part] = next;
      node = next;
    }
    node[path[path.length - 1]!] = value;
  }
  return out;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function readFile(file: string): Plain {
  if (!existsSync(file))
    throw new InterdictError('INTERDICT_CONFIG_NOT_FOUND', `configuration file not found: ${file}`);
  let parsed: unknown;
  try {
    parsed = parseYaml(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new InterdictError(
      'INTERDICT_CONFIG_INVALID',
      `configuration file is not valid YAML/JSON: ${file}`,
      [],
      {
        cause: err,
      },
    );
  }
  if (parsed == null) return {};
  if (!isPlain(parsed))
    throw new InterdictError('INTERDICT_CONFIG_INVALID', `configuration must be a mapping: ${file}`);
  return parsed;
}

/** Validate an already-merged object; every problem is reported at once with its path. */
export function parseConfig(input: unknown, origin = 'config'): Config {
  const result = configSchema.safeParse(input ?? {});
  if (!result.success) throw validationError('configuration', origin, result.error.issues);
  return deepFreeze(result.data);
}

/** Load once: file → environment → flags, validated by one schema, frozen. */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  let merged: Plain = {};
  if (options.file) merged = merge(merged, readFile(options.file));
  if (options.env) merged = merge(merged, configFromEnv(options.env));
  if (options.flags) merged = merge(merged, options.flags as Plain);
  return parseConfig(merged, options.file ?? 'config');
}
