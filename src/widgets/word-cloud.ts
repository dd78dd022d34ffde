/**
 * The drawing of a word cloud: each word a list item placed by
 * word-cloud-layout.ts, sized by its count, coloured by its key (so a word
 * keeps its colour), moving and growing smoothly. Words keep their places
 * from one update to the next; the cloud lays itself out again when its box
 * changes size (a slide shown for the first time, a rotated phone).
 */
import { el } from '../lib/dom';
import { formatNumber } from '../i18n/i18n';
import type { CloudWord } from '../shared/protocol';
import { layoutCloud, type Size } from './word-cloud-layout';

export interface CloudSizes {
  minSize: number;
  maxSize: number;
  padding: number;
}

/** The deck's accent colours, all readable on its dark background. */
const PALETTE = ['#78dce8', '#a9dc76', '#ffd866', '#ff6188', '#fc9867', '#ab9df2'];

function colourOf(key: string): string {
  let hash = 0;
  for (const char of key) hash = (hash * 31 + char.codePointAt(0)!) >>> 0;
  return PALETTE[hash % PALETTE.length]!;
}

let canvas: CanvasRenderingContext2D | null | undefined;

/** Text boxes measured on a canvas with the cloud's own font, so Japanese and Latin words get their real widths. */
function measurer(font: string): (text: string, size: number) => Size {
  canvas ??= document.createElement('canvas').getContext('2d');
  const cache = new Map<string, number>();
  return (text, size) => {
    const key = `${size}|${text}`;
    let width = cache.get(key);
    if (width === undefined) {
      if (canvas) {
        canvas.font = `700 ${size}px ${font}`;
        width = canvas.measureText(text).width;
      } else width = [...text].length * size * 0.6;
      cache.set(key, width);
    }
    return { width: Math.ceil(width), height: Math.ceil(size * 1.15) };
  };
}

export class CloudCanvas {
  readonly element = el('ul', { className: 'cloud' });
  private readonly items = new Map<string, HTMLElement>();
  private centres = new Map<string, { x: number; y: number }>();
  private words: CloudWord[] = [];
  private mine = new Set<string>();
  private area: Size = { width: 0, height: 0 };

  constructor(private readonly sizes: CloudSizes) {
    new ResizeObserver(() => {
      const { clientWidth: width, clientHeight: height } = this.element;
      if (width === this.area.width && height === this.area.height) return;
      // A new box: places scale with it, so the cloud keeps its shape.
      if (this.area.width && this.area.height) {
        const [sx, sy] = [width / this.area.width, height / this.area.height];
        this.centres = new Map([...this.centres].map(([key, at]) => [key, { x: at.x * sx, y: at.y * sy }]));
      }
      this.area = { width, height };
      this.draw();
    }).observe(this.element);
  }

  update(words: CloudWord[], mine: ReadonlySet<string>): void {
    this.words = words;
    this.mine = new Set(mine);
    this.draw();
  }

  private draw(): void {
    if (this.area.width === 0 || this.area.height === 0) return;
    const font = getComputedStyle(this.element).fontFamily || 'system-ui, sans-serif';
    const placed = layoutCloud(this.words, this.centres, { area: this.area, ...this.sizes, measure: measurer(font) });
    const counts = new Map(this.words.map((word) => [word.key, word.count]));
    const seen = new Set<string>();
    for (const word of placed) {
      seen.add(word.key);
      let item = this.items.get(word.key);
      if (!item) {
        item = el('li', { className: 'cloud-word', attrs: { 'data-key': word.key } });
        item.style.color = colourOf(word.key);
        this.items.set(word.key, item);
        this.element.append(item);
      }
      const count = counts.get(word.key) ?? 0;
      item.textContent = word.text;
      // Read as "fast, 3"; the count is what the size shows.
      item.setAttribute('aria-label', `${word.text}, ${formatNumber(count)}`);
      item.dataset.count = String(count);
      item.style.fontSize = `${word.size}px`;
      item.style.transform = `translate(${Math.round(word.x - word.width / 2)}px, ${Math.round(word.y - word.height / 2)}px)`;
      item.classList.toggle('is-mine', this.mine.has(word.key));
    }
    for (const [key, item] of this.items) {
      if (seen.has(key)) continue;
      item.remove();
      this.items.delete(key);
    }
    this.centres = new Map(placed.map((word) => [word.key, { x: word.x, y: word.y }]));
    this.element.dataset.words = String(placed.length);
  }
}
