import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InterdictError } from '../core/errors.js';
import { configFromEnv, loadConfig } from './load.js';

describe('loadConfig', () => {
  it('applies defaults and freezes the result', () => {
    const config = loadConfig();
    expect(config.screening.preset).toBe('balanced');
    expect(config.screening.maxBytes).toBe(1_000_000);
    expect(config.store.driver).toBe('sqlite');
    expect(Object.isFrozen(config.screening)).toBe(true);
  });

  it('layers file, then env, then flags', () => {
    const dir = mkdtempSync(join(tmpdir(), 'interdict-config-'));
    const file = join(dir, 'c.yaml');
    writeFileSync(file, 'screening:\n  preset: strict\n  maxBytes: 10\nstore:\n  path: a.db\n');
    const config = loadConfig({
      file,
      env: { INTERDICT_SCREENING__MAX_BYTES: '20', INTERDICT_STORE__PATH: 'b.db' },
      flags: { store: { path: 'c.db' } },
    });
    expect(config.screening.preset).toBe('strict');
    expect(config.screening.maxBytes).toBe(20);
    expect(config.store.path).toBe('c.db');
  });

  it('rejects unknown keys with a coded error naming every problem', () => {
    try {
      loadConfig({ flags: { screening: { presett: 'x' }, bogus: 1 } as never });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(InterdictError);
      const e = err as InterdictError;
      expect(e.code).toBe('INTERDICT_CONFIG_INVALID');
      expect(e.details.length).toBeGreaterThanOrEqual(2);
    }
  });

  it('reports a missing file with its own code', () => {
    expect(() => loadConfig({ file: '/nonexistent/interdict.yaml' })).toThrow(
      expect.objectContaining({ code: 'INTERDICT_CONFIG_NOT_FOUND' }),
    );
  });

  it('maps env names to camelCase paths', () => {
    expect(configFromEnv({ INTERDICT_SCREENING__MAX_BYTES: '5', OTHER: 'x' })).toEqual({
      screening: { maxBytes: 5 },
    });
  });
});
