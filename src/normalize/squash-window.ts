import type { Span } from '../core/types.js';
import { mapRange, type SpanMap } from './span-map.js';
import { squashText } from './squash.js';
import { ANY_CUE, CueScan } from './squash-cues.js';
import { doubledAt } from './squash-splits.js';
import { type FoldMapper, type OffsetMapper, SquashMapper } from './views.js';

/**
 * The squashed view of a long text, cut down to where squashing changed something.
 *
 * Leetspeak and spaced letters are local disguises: a 2 KB prompt with one "h4ck" in it differs from its
 * folded view in one word, yet a whole-text squashed view makes every detector read all 2 KB a second time
 * (about as much work again as the rest of the request). So the squashed view holds only windows of
 * context around each cue (see CueScan), each squashed on its own and joined by line breaks; the rest
 * of the text is already covered, unchanged, by the folded view. Windows are wide enough for any rule's
 * keyword window and for the learned model to read a sentence or two either side. When the windows would
 * cover most of the text anyway, the whole text is squashed as before.
 */

/** Characters of context kept on each side of a cue. */
export const SQUASH_CONTEXT = 256;
/** Windows covering at least this share of the text: squash the whole text in one piece instead. */
export const WHOLE_TEXT_SHARE = 0.6;
/** How far a window edge may move outwards to land on a word break. */
const SNAP = 32;

export interface SquashedView {
  text: string;
  transforms: string[];
  mapper: OffsetMapper;
}

function isBreak(c: number): boolean {
  return c === 0x20 || c === 0x0a;
}

/** Windows around the cues of a folded text: [start, end) pairs, and the kinds of cue (cueKinds bits) in each. */
export interface CueWindows {
  readonly bounds: readonly number[];
  readonly kinds: readonly number[];
}
const NO_WINDOWS: CueWindows = { bounds: [], kinds: [] };

/**
 * Windows around every cue, merged and snapped to word breaks (none when there is no cue), with the kinds of cue
 * in each: all of them until the window holds one of a kind a squash pass needs, which is all windowMayChange asks.
 */
export function cueWindows(
  folded: string,
  context = SQUASH_CONTEXT,
  candidates: readonly number[] | null = null,
): CueWindows {
  const cues = new CueScan(folded, candidates);
  let cue = cues.next(0);
  if (cue < 0) return NO_WINDOWS; // most texts: nothing more to allocate
  const n = folded.length;
  const bounds: number[] = [];
  const kinds: number[] = [];
  let next = 0; // cues found before this candidate lie in the last window and only add their kinds to it
  while (cue >= 0) {
    if (cues.at >= next) {
      let start = Math.max(0, cue - context);
      for (let k = 0; start > 0 && k < SNAP && !isBreak(folded.charCodeAt(start - 1)); k++) start--;
      let end = Math.min(n, cue + context);
      for (let k = 0; end < n && k < SNAP && !isBreak(folded.charCodeAt(end)); k++) end++;
      const last = bounds.length - 1;
      if (last > 0 && start <= bounds[last]!) bounds[last] = Math.max(bounds[last]!, end);
      else {
        bounds.push(start, end);
        kinds.push(0);
      }
      // Everything up to the window's end is covered: windows grow again only from cues after it.
      next = end >= n ? n : Math.max(cue, end - context - 1) + 1;
    }
    const last = kinds.length - 1;
    if ((kinds[last]! & ~ANY_CUE) === 0) {
      // Every cue of a window counts until one of a kind a pass needs is found; then only those that grow it.
      kinds[last]! |= cues.kinds();
      if ((kinds[last]! & ~ANY_CUE) === 0) {
        cue = cues.next(cues.at + 1);
        continue;
      }
    }
    if (next >= n) break;
    cue = cues.next(next);
  }
  return { bounds, kinds };
}

/**
 * Whether squashing the window [start, end) alone can change it, from the kinds of cue it holds: not when it
 * holds no cue of a kind some squash pass needs (a '1st' or an 'mp3' only), provided it is cut at word breaks.
 * Cut there, the window holds whole tokens, each cue test reads the same characters as in the whole text or a
 * word break where the text goes on, and finds no cue the whole text lacks; a doubled word at its start is the
 * one cue it would find alone (one after a line break, which the whole text does not count).
 */
export function windowMayChange(folded: string, start: number, end: number, kinds: number): boolean {
  if ((kinds & ~ANY_CUE) !== 0 || doubledAt(folded, start)) return true;
  return (
    !(start === 0 || isBreak(folded.charCodeAt(start - 1))) ||
    !(end === folded.length || isBreak(folded.charCodeAt(end)))
  );
}

interface Piece {
  /** Range of the piece in the view text. */
  viewStart: number;
  viewEnd: number;
  /** Where the piece's window starts in the folded text, and the window's folded text. */
  foldedStart: number;
  window: string;
  /** Whether squashing joined letters (then offsets inside the piece move; the map is built on demand). */
  joined: boolean;
  inner?: SpanMap | null;
}

/** Windowed squashed view → folded text → original. */
class WindowedSquashMapper implements OffsetMapper {
  constructor(
    private readonly pieces: Piece[],
    private readonly outer: FoldMapper,
  ) {}

  map(start: number, end: number): Span {
    const pieces = this.pieces;
    let piece = pieces[pieces.length - 1]!;
    for (const p of pieces) {
      if (start <= p.viewEnd) {
        piece = p;
        break;
      }
    }
    const local = Math.max(0, start - piece.viewStart);
    const localEnd = Math.max(local, Math.min(end, piece.viewEnd) - piece.viewStart);
    let from = local;
    let to = localEnd;
    if (piece.joined) {
      if (piece.inner === undefined) {
        const base = piece.foldedStart;
        piece.inner = squashText(piece.window, (i) => this.outer.width(base + i), true)?.map ?? null;
      }
      if (piece.inner) {
        const span = mapRange(piece.inner, local, localEnd);
        from = span.start;
        to = span.end;
      }
    }
    return this.outer.map(piece.foldedStart + from, piece.foldedStart + to);
  }
}

/**
 * The squashed view of a folded text (whole, or windowed when the text is long), or null if nothing changes.
 * `candidates`: the text's cue candidates when the cipher word scan has collected them (see CueScan).
 */
export function squashFolded(
  folded: string,
  outer: FoldMapper,
  candidates: readonly number[] | null = null,
): SquashedView | null {
  const gap = (i: number) => outer.width(i);
  const { bounds: windows, kinds } = cueWindows(folded, SQUASH_CONTEXT, candidates);
  if (windows.length === 0) return null;
  let covered = 0;
  let allKinds = 0;
  for (let k = 0; k < windows.length; k += 2) {
    covered += windows[k + 1]! - windows[k]!;
    allKinds |= kinds[k / 2]!;
  }
  if (covered >= folded.length * WHOLE_TEXT_SHARE) {
    // With no cue of a kind a squash pass needs in any window, cueKinds(folded) is ANY_CUE: squashText changes
    // nothing.
    if ((allKinds & ~ANY_CUE) === 0) return null;
    const whole = squashText(folded, gap);
    if (!whole) return null;
    return {
      text: whole.text,
      transforms: whole.transforms,
      mapper: new SquashMapper(folded, whole.joined, outer),
    };
  }
  const pieces: Piece[] = [];
  const transforms = new Set<string>();
  let text = '';
  for (let k = 0; k < windows.length; k += 2) {
    const start = windows[k]!;
    if (!windowMayChange(folded, start, windows[k + 1]!, kinds[k / 2]!)) continue;
    const window = folded.slice(start, windows[k + 1]!);
    const squashed = squashText(window, (i) => gap(start + i));
    if (!squashed) continue;
    if (text) text += '\n';
    pieces.push({
      viewStart: text.length,
      viewEnd: text.length + squashed.text.length,
      foldedStart: start,
      window,
      joined: squashed.joined,
    });
    text += squashed.text;
    for (const t of squashed.transforms) transforms.add(t);
  }
  if (pieces.length === 0) return null;
  return { text, transforms: [...transforms], mapper: new WindowedSquashMapper(pieces, outer) };
}
