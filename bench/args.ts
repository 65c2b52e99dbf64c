/** Command-line flags of the benchmarks: `--name value` pairs and bare `--switch`es (benchmarks only). */
export const benchArgs = process.argv.slice(2);

/** The value after `--name`, or `fallback` when the flag is absent or has no value. */
export function flag(name: string, fallback: string): string;
export function flag(name: string, fallback?: undefined): string | undefined;
export function flag(name: string, fallback?: string): string | undefined {
  const i = benchArgs.indexOf(name);
  return i >= 0 && benchArgs[i + 1] ? benchArgs[i + 1]! : fallback;
}

/** Whether a bare `--switch` was given. */
export function hasFlag(name: string): boolean {
  return benchArgs.includes(name);
}

/** `--pg URL`, else $INTERDICT_TEST_PG_URL, else the local test database .ci/run creates. */
export function pgUrl(): string {
  return flag(
    '--pg',
    process.env.INTERDICT_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/interdict_test',
  );
}
