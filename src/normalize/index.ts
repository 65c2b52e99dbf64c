import type { Span } from '../core/types.js';
import { type EncodedSegment, findBaseEncoded } from './encodings.js';
import { FindingList } from './findings.js';
import { findMorse } from './morse.js';
import { findNumberEncoded } from './number-encodings.js';
import { findUpsideDown } from './upside-down.js';
import { type FoldResult, foldText } from './fold.js';
import { findCipherRuns, scanFolded } from './rot-reverse.js';
import { squashFolded } from './squash-window.js';
import type { NormalizeLimits, Normalized, Normalizer, TextView } from './types.js';
import { ConstantMapper, FoldMapper, IdentityMapper, type OffsetMapper, View } from './views.js';
import { findHtmlEntities, findUrlEncoded } from './web-encodings.js';

export type { NormalizeFinding, NormalizeLimits, Normalized, Normalizer, TextView } from './types.js';

export const DEFAULT_LIMITS: NormalizeLimits = {
  maxDepth: 4,
  maxDecodedChars: 200_000,
  maxViews: 32,
  minEncodedLength: 16,
};

/**
 * Builds the decode-and-normalise stage. The returned function never throws on content: every input,
 * however hostile, yields the original view plus whatever views the limits allow.
 *
 * Views: `original`; `folded` (NFKC, confusables, invisibles removed, lowercase, whitespace collapsed) when
 * it differs; `squashed` (leetspeak and spaced letters undone; on long texts only windows around the
 * changes, see squash-window.ts) when useful; then decoded views (hidden tag /
 * variation-selector text, base64, base32, hex, URL encoding, HTML entities, binary, decimal character codes, Morse,
 * ROT13 and other letter shifts, reversed, upside-down), each folded,
 * decoded again up to `maxDepth`, and mapped to the encoded segment's span in the original.
 */
export function createNormalizer(limits: Partial<NormalizeLimits> = {}): Normalizer {
  const opts: NormalizeLimits = { ...DEFAULT_LIMITS, ...limits };
  return (text: string): Normalized => normalize(text, opts);
}

/** A text the decoders search: the original, or something decoded from it. */
interface DecodeNode {
  /** Text as decoded (case kept: base64 is case-sensitive). */
  raw: string;
  fold: FoldResult;
  depth: number;
  /** Id prefix for children (`base64@12>`), empty for the original. */
  prefix: string;
  /** Decode transform that produced this node (null for the original). */
  transform: string | null;
  /** Decode transforms from the original, e.g. ['base64', 'hex']. */
  chain: readonly string[];
  /** Maps ranges of `raw` / of the folded text to the original text. */
  rawMapper: OffsetMapper;
  foldedMapper: OffsetMapper;
}

class ViewSet {
  readonly views: TextView[] = [];
  constructor(private readonly maxViews: number) {}

  get full(): boolean {
    return this.views.length >= this.maxViews;
  }

  /** Adds a view unless the limit is reached or an existing view already has the same text. */
  add(view: TextView): boolean {
    if (this.full) return false;
    for (const v of this.views) if (v.text.length === view.text.length && v.text === view.text) return false;
    this.views.push(view);
    return true;
  }
}

function normalize(text: string, limits: NormalizeLimits): Normalized {
  const findings = new FindingList();
  const transforms = new Set<string>();
  const views = new ViewSet(Math.max(1, limits.maxViews));
  const identity = new IdentityMapper(text.length);
  views.add(new View('original', text, [], 0, identity));

  const fold = foldText(text, findings);
  for (const t of fold.transforms) transforms.add(t);
  const foldMapper = new FoldMapper(text, fold.identity);
  views.add(new View('folded', fold.text, [...fold.transforms], 0, foldMapper));

  // One pass over the folded text finds its cipher words (kept for findCipherRuns) and its squash cue candidates.
  const cueCandidates = scanFolded(fold.text);
  const squash = squashFolded(fold.text, foldMapper, cueCandidates);
  if (squash) {
    for (const t of squash.transforms) transforms.add(t);
    views.add(
      new View('squashed', squash.text, [...fold.transforms, ...squash.transforms], 0, squash.mapper),
    );
  }

  if (limits.maxDepth > 0) {
    const root: DecodeNode = {
      raw: text,
      fold,
      depth: 0,
      prefix: '',
      transform: null,
      chain: [],
      rawMapper: identity,
      foldedMapper: foldMapper,
    };
    decodeAll(root, limits, { left: limits.maxDecodedChars }, views, transforms, findings);
  }
  return { original: text, views: views.views, transforms: [...transforms], findings: findings.items };
}

interface Child {
  transform: string;
  /** Name used in the view id (`tags` for tag-character text, `vs` for variation selectors). */
  name: string;
  /** Offset used in the id: in the original text, or in a decoded parent's raw / folded text. */
  offset: number;
  span: Span;
  raw: string;
}

/** Breadth-first decoding: each decoded text is folded, becomes a view, and is searched again. */
function decodeAll(
  root: DecodeNode,
  limits: NormalizeLimits,
  budget: { left: number },
  views: ViewSet,
  transforms: Set<string>,
  findings: FindingList,
): void {
  const queue: DecodeNode[] = [root];
  for (let q = 0; q < queue.length; q++) {
    const node = queue[q]!;
    if (budget.left <= 0 || views.full) return;
    if (node.depth >= limits.maxDepth) {
      // Decoding stops here. Text still encoded at this depth (base64 of base64 of ... five times) cannot be
      // inspected, and nesting that deep is itself the signal: the obfuscation detector scores it.
      if (stillEncoded(node.raw, limits)) {
        findings.add({
          transform: 'depth_limit',
          span: node.rawMapper.map(0, node.raw.length),
          count: node.raw.length,
          view: node.prefix.slice(0, -1),
          depth: node.depth,
        });
      }
      continue;
    }
    for (const child of childrenOf(node, limits, budget)) {
      if (views.full) return;
      const id = `${node.prefix}${child.name}@${child.offset}`;
      const fold = foldText(child.raw, null);
      const mapper = new ConstantMapper(child.span);
      const chain = [...node.chain, child.transform];
      const depth = node.depth + 1;
      if (!views.add(new View(id, fold.text, [...chain, ...fold.transforms], depth, mapper))) continue;
      transforms.add(child.transform);
      for (const t of fold.transforms) transforms.add(t);
      findings.add({
        transform: child.transform,
        span: { ...child.span },
        count: child.raw.length,
        view: id,
        depth,
      });
      queue.push({
        raw: child.raw,
        fold,
        depth,
        prefix: `${id}>`,
        transform: child.transform,
        chain,
        rawMapper: mapper,
        foldedMapper: mapper,
      });
    }
  }
}

/** Characters probed for one more layer of encoding at the depth limit (enough to see a decodable run). */
const DEPTH_PROBE_CHARS = 4096;

/** Whether `raw` holds an encoded run that decodes to text (what childrenOf would decode, ciphers aside). */
function stillEncoded(raw: string, limits: NormalizeLimits): boolean {
  const probe = { left: DEPTH_PROBE_CHARS };
  const text = raw.slice(0, DEPTH_PROBE_CHARS * 2);
  return (
    findBaseEncoded(text, limits.minEncodedLength, probe).length > 0 ||
    findUrlEncoded(text, probe).length > 0 ||
    findHtmlEntities(text, probe).length > 0 ||
    findNumberEncoded(text, probe).length > 0 ||
    findMorse(text, probe).length > 0
  );
}

function childrenOf(node: DecodeNode, limits: NormalizeLimits, budget: { left: number }): Child[] {
  const children: Child[] = [];
  for (const run of node.fold.hidden) {
    if (budget.left <= 0) break;
    const raw = run.text.slice(0, budget.left);
    budget.left -= raw.length;
    const name = run.transform === 'tag_chars' ? 'tags' : 'vs';
    children.push({
      transform: run.transform,
      name,
      offset: run.start,
      span: node.rawMapper.map(run.start, run.end),
      raw,
    });
  }
  const segments: EncodedSegment[] = [
    ...findBaseEncoded(node.raw, limits.minEncodedLength, budget),
    ...findUrlEncoded(node.raw, budget),
    ...findHtmlEntities(node.raw, budget),
    ...findNumberEncoded(node.raw, budget),
    ...findMorse(node.raw, budget),
    ...findUpsideDown(node.raw, budget),
  ];
  for (const seg of segments) {
    const span = node.rawMapper.map(seg.start, seg.end);
    children.push({ transform: seg.transform, name: seg.transform, offset: seg.start, span, raw: seg.text });
  }
  for (const run of findCipherRuns(node.fold.text)) {
    // Undoing ROT13 or reversal twice gives back the parent.
    if (run.transform === node.transform || budget.left <= 0) continue;
    const raw = run.text.slice(0, budget.left);
    budget.left -= raw.length;
    const span = node.foldedMapper.map(run.start, run.end);
    // In the original, ids use original offsets like every other view; deeper down, folded offsets.
    const offset = node.depth === 0 ? span.start : run.start;
    children.push({ transform: run.transform, name: run.transform, offset, span, raw });
  }
  return children;
}
