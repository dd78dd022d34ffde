/**
 * Where each word of a cloud goes. Pure and deterministic (text is measured
 * by the caller), so the same words always land in the same places.
 *
 * Stability comes first: a word keeps the centre it had on the previous
 * update as long as it still fits there; only a word that grew into a
 * neighbour, or a new word, looks for a place, on a spiral out from its old
 * centre (or from the middle). Bigger words are placed first, so a word that
 * has to move is always a smaller one. A word that finds no room is left
 * out (the cloud shows the most frequent words).
 */

export interface CloudInput {
  key: string;
  text: string;
  count: number;
}

export interface Size {
  width: number;
  height: number;
}

export interface PlacedWord {
  key: string;
  text: string;
  /** Font size in px. */
  size: number;
  /** Centre, in px from the area's top-left corner. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface CloudLayoutOptions {
  area: Size;
  /** Font sizes of the least and the most frequent word. */
  minSize: number;
  maxSize: number;
  /** Space kept around each word. */
  padding: number;
  /** The box of `text` at font size `size`. */
  measure: (text: string, size: number) => Size;
}

/** Font size for a count: by the square root, so that twice the votes is not twice the height. */
export function fontSize(count: number, maxCount: number, options: Pick<CloudLayoutOptions, 'minSize' | 'maxSize'>): number {
  if (maxCount <= 1) return options.maxSize;
  const share = Math.sqrt((count - 1) / (maxCount - 1));
  return Math.round(options.minSize + (options.maxSize - options.minSize) * share);
}

interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** The share of the area words may cover before they shrink: above it, a spiral rarely finds room. */
const FILL = 0.4;

/**
 * How much to shrink every word so that together they cover at most FILL
 * of the area (never below the smallest size): with many words, or all
 * typed once, the cloud stays a cloud instead of a few giant words.
 */
function fillScale(words: readonly CloudInput[], maxCount: number, options: CloudLayoutOptions): number {
  if (words.length === 0) return 1;
  const { area, padding } = options;
  let covered = 0;
  for (const word of words) {
    const box = options.measure(word.text, fontSize(word.count, maxCount, options));
    covered += (box.width + 2 * padding) * (box.height + 2 * padding);
  }
  const room = FILL * area.width * area.height;
  return covered > room ? Math.sqrt(room / covered) : 1;
}

const overlaps = (a: Box, b: Box) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

/** The spiral: about this far between two tries along it, and between two turns. */
const SPIRAL_STEP = 8;
const SPIRAL_GAP = 8;
/** After this many words in a row found no room, the smaller ones will not either: stop. */
const GIVE_UP_AFTER = 12;

/** Tries at smaller and smaller sizes while words are left out. */
const SHRINK = 0.85;
const ATTEMPTS = 4;

export function layoutCloud(words: readonly CloudInput[], previous: ReadonlyMap<string, { x: number; y: number }>, options: CloudLayoutOptions): PlacedWord[] {
  const maxCount = words.reduce((max, word) => Math.max(max, word.count), 0);
  // Bigger first; among equals, the order given (the server's: first typed first).
  const order = words
    .map((word, index) => ({ word, index }))
    .sort((a, b) => b.word.count - a.word.count || a.index - b.index)
    .map(({ word }) => word);
  let scale = fillScale(order, maxCount, options);
  let best: PlacedWord[] = [];
  for (let attempt = 0; attempt < ATTEMPTS; attempt++, scale *= SHRINK) {
    const placed = placeWords(order, previous, options, (count) => Math.max(options.minSize, Math.round(fontSize(count, maxCount, options) * scale)));
    if (placed.length > best.length) best = placed;
    // Done when every word is in, or when shrinking more would change no word's size.
    if (placed.length === order.length || options.maxSize * scale <= options.minSize) break;
  }
  return best;
}

function placeWords(
  order: readonly CloudInput[],
  previous: ReadonlyMap<string, { x: number; y: number }>,
  options: CloudLayoutOptions,
  sizeOf: (count: number) => number,
): PlacedWord[] {
  const { area, padding } = options;
  const placed: Array<{ word: PlacedWord; box: Box }> = [];
  const middle = { x: area.width / 2, y: area.height / 2 };
  const limit = Math.hypot(area.width, area.height);
  let misses = 0;

  const boxAt = (x: number, y: number, size: Size): Box => ({
    left: x - size.width / 2 - padding,
    top: y - size.height / 2 - padding,
    right: x + size.width / 2 + padding,
    bottom: y + size.height / 2 + padding,
  });
  const fits = (box: Box) => !placed.some((other) => overlaps(box, other.box));

  for (const word of order) {
    const size = sizeOf(word.count);
    const box = options.measure(word.text, size);
    if (box.width > area.width || box.height > area.height) continue;
    const inside = (at: { x: number; y: number }) => ({
      x: Math.min(Math.max(at.x, box.width / 2), area.width - box.width / 2),
      y: Math.min(Math.max(at.y, box.height / 2), area.height - box.height / 2),
    });
    const from = previous.get(word.key);
    let spot: { x: number; y: number } | null = null;
    if (from) {
      const kept = inside(from);
      if (fits(boxAt(kept.x, kept.y, box))) spot = kept;
    }
    const start = from ?? middle;
    // Wide areas spread words sideways: the spiral is an ellipse of the area's proportions.
    const stretch = Math.sqrt(area.width / area.height);
    for (let angle = 0, radius = 0; !spot && radius <= limit; angle += SPIRAL_STEP / Math.max(radius, SPIRAL_STEP)) {
      radius = (SPIRAL_GAP * angle) / (2 * Math.PI);
      // A word keeps inside the area; clamping keeps the spiral useful near the edges.
      const at = inside({ x: start.x + radius * Math.cos(angle) * stretch, y: start.y + (radius * Math.sin(angle)) / stretch });
      if (fits(boxAt(at.x, at.y, box))) spot = at;
    }
    if (!spot) {
      if (++misses >= GIVE_UP_AFTER) break;
      continue;
    }
    misses = 0;
    const result: PlacedWord = { key: word.key, text: word.text, size, x: spot.x, y: spot.y, width: box.width, height: box.height };
    placed.push({ word: result, box: boxAt(spot.x, spot.y, box) });
  }
  return placed.map(({ word }) => word);
}
