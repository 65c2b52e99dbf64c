import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The nearest directory holding a package.json, walking up from `startDir`, or undefined. Finds the package's
 * own data (rules/, models/) from src/ (vitest, tsx), from dist/ after the build, and inside node_modules.
 */
export function findPackageRoot(startDir: string): string | undefined {
  let dir = startDir;
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The package root above `from` (a module file), or that module's own directory when none is found. */
export function packageRoot(from: string = fileURLToPath(import.meta.url)): string {
  return findPackageRoot(dirname(from)) ?? dirname(from);
}

/** The rule directory shipped with the package (`rules/` at the package root). */
export function defaultRulesDir(): string {
  return join(packageRoot(), 'rules');
}
