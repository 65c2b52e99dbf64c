import type { z } from 'zod';
import { type ErrorDetail, InterdictError } from '../core/errors.js';

/**
 * Turns zod issues into one coded error that names every problem with its path (never the offending value,
 * which may be a key or a prompt). Shared by the config loader and the tenant-policy loader.
 */
export function validationError(
  label: string,
  origin: string,
  issues: readonly z.core.$ZodIssue[],
): InterdictError {
  const details: ErrorDetail[] = issues.map((issue) => ({
    where: `${origin}:${issue.path.map(String).join('.') || '(root)'}`,
    problem: issue.message,
  }));
  return new InterdictError(
    'INTERDICT_CONFIG_INVALID',
    `${label} is invalid: ${details.map((d) => `${d.where} ${d.problem}`).join('; ')}`,
    details,
  );
}
