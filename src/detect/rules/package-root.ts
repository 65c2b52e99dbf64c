import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package root: the nearest directory holding a package.json, walking up from this module. Works from
 * src/ (vitest, tsx) and from dist/ after the build, and inside node_modules when installed.
 */
export function packageRoot(from: string = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return dirname(from);
    dir = parent;
  }
}

/** The rule directory shipped with the package (`rules/` at the package root). */
export function defaultRulesDir(): string {
  return join(packageRoot(), 'rules');
}
