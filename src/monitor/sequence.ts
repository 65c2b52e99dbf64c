import type { TrailEvent } from '../store/port.js';
import { isAbuseFlag } from '../store/rows.js';
import { hamming, jaccard } from './fingerprint.js';

/**
 * Sequence features over an account's text-free trail: probing (many near-variants of refused or flagged
 * prompts close together), rephrasing after a refusal, and switching natural or programming language after
 * a refusal. Inputs are oldest first.
 */

export interface SimilarityRule {
  /** Near-variant when SimHash Hamming distance <= this. */
  simhashDistance: number;
  /** ... or MinHash Jaccard >= this. */
  minhashJaccard: number;
}

export function similar(a: TrailEvent, b: TrailEvent, rule: SimilarityRule): boolean {
  if (a.minhash && b.minhash && jaccard(a.minhash, b.minhash) >= rule.minhashJaccard) return true;
  return a.simhash !== null && b.simhash !== null && hamming(a.simhash, b.simhash) <= rule.simhashDistance;
}

function identical(a: TrailEvent, b: TrailEvent): boolean {
  if (a.minhash && b.minhash) return jaccard(a.minhash, b.minhash) === 1;
  return a.simhash !== null && a.simhash === b.simhash;
}

/** A "stop": the model refused or policy blocked. What an abuser then tries to get around. */
export function isStop(e: TrailEvent): boolean {
  return e.refused || e.action === 'block';
}

export interface ProbingResult {
  /** Size of the largest group of mutual near-variants inside one window (1 = no variants). */
  largestCluster: number;
  /** Ids of that group, oldest first. */
  eventIds: string[];
}

/**
 * For each notable event, counts the notable events within `windowMs` before it that are near-variants of
 * it; the largest such group is the probing signal. O(n·k) with k events per window.
 */
export function probing(
  notable: readonly TrailEvent[],
  windowMs: number,
  rule: SimilarityRule,
): ProbingResult {
  let best: TrailEvent[] = [];
  let lo = 0;
  for (let i = 0; i < notable.length; i++) {
    const current = notable[i]!;
    while (notable[lo]!.ts < current.ts - windowMs) lo += 1;
    const group = [current];
    for (let j = lo; j < i; j++) if (similar(current, notable[j]!, rule)) group.push(notable[j]!);
    if (group.length > best.length) best = group;
  }
  const ordered = [...best].sort((a, b) => a.ts - b.ts);
  return { largestCluster: best.length, eventIds: ordered.map((e) => e.id) };
}

export interface AfterRefusalResult {
  /** Stops followed within the window by a near-variant that is not a verbatim resend. */
  rephrases: number;
  /** Abuse-flagged stops followed within the window by a request in another (programming) language. */
  languageSwitches: number;
  eventIds: string[];
}

function script(lang: string): string {
  const colon = lang.indexOf(':');
  return colon === -1 ? lang : lang.slice(0, colon);
}

/** Different natural language: different script, or both named languages differ (`latin:en` vs `latin:es`). */
export function languageDiffers(a: string, b: string): boolean {
  if (!a || !b) return false;
  if (a.includes(':') && b.includes(':')) return a !== b;
  return script(a) !== script(b);
}

/** Requests after a stop that are examined for a rephrase or a language switch. */
export const FOLLOW_UPS = 3;

/** `events` must hold every event (not only notable ones) of the spans following the stops. */
export function afterRefusal(
  events: readonly TrailEvent[],
  windowMs: number,
  rule: SimilarityRule,
): AfterRefusalResult {
  let rephrases = 0;
  let languageSwitches = 0;
  const ids = new Set<string>();
  for (let i = 0; i < events.length; i++) {
    const stop = events[i]!;
    if (!isStop(stop)) continue;
    const abusive = isAbuseFlag(stop.action, stop.categories);
    let rephrased = false;
    let switched = false;
    // Only the next few requests: an evader retries at once, while a busy benign account's later traffic
    // would otherwise supply a "similar" or "other language" request by chance.
    const last = Math.min(events.length, i + 1 + FOLLOW_UPS);
    for (let j = i + 1; j < last && events[j]!.ts <= stop.ts + windowMs; j++) {
      const next = events[j]!;
      if (!rephrased && similar(stop, next, rule) && !identical(stop, next)) {
        rephrased = true;
        ids.add(stop.id).add(next.id);
      }
      const codeSwitch = stop.code !== '' && next.code !== '' && stop.code !== next.code;
      // Switching language after refusing an ordinary request is just a user changing topic; it only counts
      // when what was refused was itself flagged as abuse.
      if (!switched && abusive && (languageDiffers(stop.lang, next.lang) || codeSwitch)) {
        switched = true;
        ids.add(stop.id).add(next.id);
      }
      if (rephrased && switched) break;
    }
    if (rephrased) rephrases += 1;
    if (switched) languageSwitches += 1;
  }
  return { rephrases, languageSwitches, eventIds: [...ids] };
}
