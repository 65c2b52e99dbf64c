import type { Span } from '../core/types.js';
import { mapRange, type SpanMap } from './span-map.js';
import { squashText } from './squash.js';
import { nextSquashCue } from './squash-cues.js';
import { type FoldMapper, type OffsetMapper, SquashMapper } from './views.js';

/**
 * The squashed view of a long text, cut down to where squashing changed something.
 *
 * Leetspeak and spaced letters are local disguises: a 2 KB prompt with one "h4ck" in it differs from its
 * folded view in one word, yet a whole-text squashed view makes every detector read all 2 KB a second time
 * (about as much work again as the rest of the request). So the squashed view holds only windows of
 * context around each cue (see nextSquashCue), each squashed on its own and joined by line breaks; the rest
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

/** [start, end) windows around every cue, merged and snapped to word breaks; empty when there is no cue. */
export function cueWindows(folded: string, context = SQUASH_CONTEXT): number[] {
  const n = folded.length;
  const windows: number[] = [];
  for (let cue = nextSquashCue(folded, 0); cue >= 0; cue = nextSquashCue(folded, cue + 1)) {
    let start = Math.max(0, cue - context);
    for (let k = 0; start > 0 && k < SNAP && !isBreak(folded.charCodeAt(start - 1)); k++) start--;
    let end = Math.min(n, cue + context);
    for (let k = 0; end < n && k < SNAP && !isBreak(folded.charCodeAt(end)); k++) end++;
    const last = windows.length - 1;
    if (last > 0 && start <= windows[last]!) windows[last] = Math.max(windows[last]!, end);
    else windows.push(start, end);
    // Everything up to the window's end is covered: look for the next cue from there.
    if (end >= n) break;
    cue = Math.max(cue, end - context - 1);
  }
  return windows;
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

/** The squashed view of a folded text (whole, or windowed when the text is long), or null if nothing changes. */
export function squashFolded(folded: string, outer: FoldMapper): SquashedView | null {
  const gap = (i: number) => outer.width(i);
  const windows = cueWindows(folded);
  if (windows.length === 0) return null;
  let covered = 0;
  for (let k = 0; k < windows.length; k += 2) covered += windows[k + 1]! - windows[k]!;
  if (covered >= folded.length * WHOLE_TEXT_SHARE) {
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
