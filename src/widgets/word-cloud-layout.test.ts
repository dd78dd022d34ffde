import { describe, expect, it } from 'vitest';
import { fontSize, layoutCloud, type CloudInput, type CloudLayoutOptions, type PlacedWord } from './word-cloud-layout';

/** Monospace-ish: every character is 0.6 em wide, the line 1.2 em high. */
const OPTIONS: CloudLayoutOptions = {
  area: { width: 800, height: 400 },
  minSize: 20,
  maxSize: 80,
  padding: 4,
  measure: (text, size) => ({ width: [...text].length * size * 0.6, height: size * 1.2 }),
};

const centres = (words: PlacedWord[]) => new Map(words.map((word) => [word.key, { x: word.x, y: word.y }]));
const word = (key: string, count: number): CloudInput => ({ key, text: key, count });

function assertNoOverlapInside(words: PlacedWord[]): void {
  for (const a of words) {
    expect(a.x - a.width / 2).toBeGreaterThanOrEqual(0);
    expect(a.x + a.width / 2).toBeLessThanOrEqual(OPTIONS.area.width);
    expect(a.y - a.height / 2).toBeGreaterThanOrEqual(0);
    expect(a.y + a.height / 2).toBeLessThanOrEqual(OPTIONS.area.height);
    for (const b of words) {
      if (a === b) continue;
      const apart =
        a.x + a.width / 2 <= b.x - b.width / 2 ||
        b.x + b.width / 2 <= a.x - a.width / 2 ||
        a.y + a.height / 2 <= b.y - b.height / 2 ||
        b.y + b.height / 2 <= a.y - a.height / 2;
      expect(apart, `${a.key} overlaps ${b.key}`).toBe(true);
    }
  }
}

describe('word cloud layout', () => {
  it('sizes by the square root of the count, the most frequent at the largest size', () => {
    expect(fontSize(1, 1, OPTIONS)).toBe(80);
    expect(fontSize(1, 10, OPTIONS)).toBe(20);
    expect(fontSize(10, 10, OPTIONS)).toBe(80);
    expect(fontSize(3, 5, OPTIONS)).toBe(Math.round(20 + 60 * Math.sqrt(0.5)));
  });

  it('puts the first word in the middle and the rest around it, inside the area and apart', () => {
    const words = ['fast', 'async', 'events', '速い', 'javascript', 'v8', 'npm', 'streams', 'real-time', 'non-blocking'].map((key, index) =>
      word(key, 10 - index),
    );
    const placed = layoutCloud(words, new Map(), OPTIONS);
    expect(placed).toHaveLength(10);
    expect(placed[0]).toMatchObject({ key: 'fast', x: 400, y: 200 });
    expect(placed[0]!.size).toBe(Math.max(...placed.map((placedWord) => placedWord.size)));
    assertNoOverlapInside(placed);
  });

  it('keeps every word where it was when counts change but nothing collides', () => {
    const first = layoutCloud([word('fast', 3), word('async', 2), word('v8', 1)], new Map(), OPTIONS);
    const next = layoutCloud([word('fast', 3), word('v8', 1), word('async', 2), word('npm', 1), word('io', 1)], centres(first), OPTIONS);
    for (const key of ['fast', 'async', 'v8']) expect(centres(next).get(key)).toEqual(centres(first).get(key));
    assertNoOverlapInside(next);
  });

  it('moves only the smaller word when a neighbour grows into it', () => {
    const before = layoutCloud([word('fast', 1), word('async', 1), word('events', 1), word('npm', 1)], new Map(), OPTIONS);
    const after = layoutCloud([word('fast', 1), word('async', 9), word('events', 1), word('npm', 1)], centres(before), OPTIONS);
    expect(centres(after).get('async')).toEqual(centres(before).get('async'));
    const moved = [...centres(after)].filter(([key, at]) => JSON.stringify(at) !== JSON.stringify(centres(before).get(key))).map(([key]) => key);
    expect(moved).not.toContain('async');
    assertNoOverlapInside(after);
  });

  it('is deterministic', () => {
    const words = Array.from({ length: 30 }, (_, index) => word(`w${index}`, 1 + (index % 5)));
    expect(layoutCloud(words, new Map(), OPTIONS)).toEqual(layoutCloud(words, new Map(), OPTIONS));
  });

  it('shrinks many words to fit, down to the smallest size, and leaves out what cannot fit rather than overlapping', () => {
    const few = layoutCloud(
      Array.from({ length: 12 }, (_, index) => word(`typed-once-${index}`, 1)),
      new Map(),
      OPTIONS,
    );
    expect(few).toHaveLength(12);
    expect(few[0]!.size).toBeLessThan(OPTIONS.maxSize);
    assertNoOverlapInside(few);
    const words = Array.from({ length: 400 }, (_, index) => word(`word-number-${index}`, 1 + (index % 3)));
    const placed = layoutCloud(words, new Map(), OPTIONS);
    expect(placed.length).toBeGreaterThan(20);
    expect(placed.length).toBeLessThan(400);
    expect(Math.min(...placed.map((placedWord) => placedWord.size))).toBe(OPTIONS.minSize);
    assertNoOverlapInside(placed);
  });
});
