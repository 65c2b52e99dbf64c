import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InterdictError } from '../../core/errors.js';
import { type ArtifactHeader, decodeArtifact, encodeArtifact } from './artifact.js';
import { loadModel } from './detector.js';

function header(): Omit<ArtifactHeader, 'weightsSha256'> {
  return {
    format: 'interdict-learned',
    features: { bits: 8, head: 64, tail: 16 },
    heads: ['a', 'b'],
    scales: [0.01, 0.02],
    biases: [-1, 0.5],
    outputs: [
      {
        side: 'input',
        target: 'injection',
        head: 'a',
        knots: [
          [-5, 0],
          [0, 0.35],
          [1, 0.5],
          [2, 0.7],
          [6, 1],
        ],
      },
    ],
    router: [],
    training: { note: 'test' },
  };
}

function weights(): Int8Array {
  return Int8Array.from({ length: 256 * 2 }, (_, i) => ((i * 37) % 255) - 127);
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof InterdictError ? err.code : 'not-coded';
  }
  return undefined;
}

describe('model artifact', () => {
  it('round-trips header and weights', () => {
    const bytes = encodeArtifact(header(), weights());
    const decoded = decodeArtifact(bytes);
    expect(decoded.header.heads).toEqual(['a', 'b']);
    expect(decoded.header.outputs[0]?.knots[2]).toEqual([1, 0.5]);
    expect(Array.from(decoded.weights)).toEqual(Array.from(weights()));
    expect(decoded.header.weightsSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('rejects a truncated artifact with INTERDICT_MODEL_INVALID', () => {
    const bytes = encodeArtifact(header(), weights());
    expect(codeOf(() => decodeArtifact(bytes.subarray(0, bytes.length - 1)))).toBe('INTERDICT_MODEL_INVALID');
    expect(codeOf(() => decodeArtifact(bytes.subarray(0, 40)))).toBe('INTERDICT_MODEL_INVALID');
    expect(codeOf(() => decodeArtifact(bytes.subarray(0, 5)))).toBe('INTERDICT_MODEL_INVALID');
  });

  it('rejects flipped weight bytes, a bad magic and a broken header', () => {
    const bytes = encodeArtifact(header(), weights());
    const flipped = bytes.slice();
    flipped[flipped.length - 3] = (flipped[flipped.length - 3] as number) ^ 0x40;
    expect(codeOf(() => decodeArtifact(flipped))).toBe('INTERDICT_MODEL_INVALID');
    const magic = bytes.slice();
    magic[0] = 0x58;
    expect(codeOf(() => decodeArtifact(magic))).toBe('INTERDICT_MODEL_INVALID');
    const json = bytes.slice();
    json[13] = 0x7b; // header JSON no longer parses
    expect(codeOf(() => decodeArtifact(json))).toBe('INTERDICT_MODEL_INVALID');
  });

  it('rejects a non-monotone calibration', () => {
    const h = header();
    h.outputs[0]!.knots = [
      [0, 0],
      [1, 0.6],
      [2, 0.5],
    ];
    expect(codeOf(() => decodeArtifact(encodeArtifact(h, weights())))).toBe('INTERDICT_MODEL_INVALID');
  });

  it('loads from a directory, and reports a missing or corrupt file with coded errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'interdict-model-'));
    expect(codeOf(() => loadModel(dir))).toBe('INTERDICT_MODEL_NOT_FOUND');
    writeFileSync(join(dir, 'learned.bin'), encodeArtifact(header(), weights()));
    const model = loadModel(dir);
    expect(model.artifact.header.heads).toEqual(['a', 'b']);
    const scores = model.score('hello world', 'input');
    expect(scores).toHaveLength(1);
    expect(scores[0]?.category).toBe('injection');
    expect(scores[0]?.score).toBeGreaterThanOrEqual(0);
    expect(scores[0]?.score).toBeLessThanOrEqual(1);
    writeFileSync(join(dir, 'learned.bin'), Buffer.from('IDLM garbage'));
    expect(codeOf(() => loadModel(dir))).toBe('INTERDICT_MODEL_INVALID');
  });
});
