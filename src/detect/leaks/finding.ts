import type { Severity } from '../../core/types.js';

/** A match in one text view, before it is mapped to the original text and turned into evidence. */
export interface LeakFinding {
  ruleId: string;
  /** [start, end) in the scanned text (UTF-16 code units). */
  start: number;
  end: number;
  /** 0..1 on the common scale. */
  score: number;
  /** Content-free note, e.g. `luhn-valid`, `entropy:4.2`, `docs-example`. */
  note?: string;
}

/** Score given to well-known documentation / test values: visible as evidence, never flagged. */
export const DOCS_EXAMPLE_SCORE = 0.1;

export function severityForScore(score: number): Severity {
  if (score >= 0.9) return 'critical';
  if (score >= 0.75) return 'high';
  if (score >= 0.5) return 'medium';
  return 'low';
}

/**
 * Keeps the strongest finding where findings overlap: within each cluster of overlapping findings, sorted by
 * score (then longer span first), a finding is dropped when it overlaps one already kept. Input order breaks
 * remaining ties, so callers list the original view before decoded views. Clustering first keeps this
 * O(n log n) on inputs with many findings; the quadratic step only runs inside a cluster.
 */
export function dropOverlapping<T extends { start: number; end: number; score: number }>(findings: T[]): T[] {
  if (findings.length < 2) return findings;
  const byStart = findings
    .map((finding, index) => ({ finding, index }))
    .sort((a, b) => a.finding.start - b.finding.start || a.index - b.index);
  const kept: T[] = [];
  let cluster: { finding: T; index: number }[] = [];
  let clusterEnd = -1;
  const flush = () => {
    if (cluster.length === 1) kept.push(cluster[0]!.finding);
    else if (cluster.length > 1) resolveCluster(cluster, kept);
    cluster = [];
  };
  for (const item of byStart) {
    if (item.finding.start >= clusterEnd) flush();
    cluster.push(item);
    clusterEnd = Math.max(clusterEnd, item.finding.end);
  }
  flush();
  return kept.sort((a, b) => a.start - b.start || a.end - b.end);
}

function resolveCluster<T extends { start: number; end: number; score: number }>(
  cluster: { finding: T; index: number }[],
  out: T[],
): void {
  const ordered = cluster.sort(
    (a, b) =>
      b.finding.score - a.finding.score ||
      b.finding.end - b.finding.start - (a.finding.end - a.finding.start) ||
      a.index - b.index,
  );
  const kept: T[] = [];
  for (const { finding } of ordered) {
    // A pathological chain of overlaps is capped: past 256 kept items the rest of the cluster is dropped.
    if (kept.length >= 256) break;
    if (!kept.some((other) => finding.start < other.end && other.start < finding.end)) kept.push(finding);
  }
  out.push(...kept);
}

/** Formats an entropy note with one decimal. */
export function entropyNote(bits: number): string {
  return `entropy:${bits.toFixed(1)}`;
}
