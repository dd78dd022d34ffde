/**
 * What a person in the back row sees of the projector's current slide,
 * measured in the page: rendered font sizes, the contrast of every text run
 * against what is behind it, and which boxes overlap. Runs inside the
 * browser (`page.evaluate(auditStage)`), so it is one self-contained function.
 */

export interface TextRun {
  text: string;
  /** Rendered size in CSS px: computed font size × the deck's scale. */
  px: number;
  kind: 'text' | 'caption' | 'code';
  /** WCAG contrast ratio of the text against what is behind it; null while it is not shown yet (a hidden fragment). */
  contrast: number | null;
  bold: boolean;
}

export interface Box {
  what: string;
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export interface StageAudit {
  title: string;
  scale: number;
  runs: TextRun[];
  /** Diagrams drawn as SVG images: their smallest label as rendered. */
  diagrams: Array<{ src: string; minPx: number }>;
  chrome: Box[];
  content: Box[];
  /** The box the slide may use: the screen minus the strip and banner. */
  stage: Box;
}

export async function auditStage(): Promise<StageAudit> {
  type Rgba = [number, number, number, number];
  const parse = (color: string): Rgba => {
    const match = /rgba?\(([^)]+)\)/.exec(color);
    if (!match) return [0, 0, 0, 0];
    const parts = match[1]!
      .split(/[ ,/]+/)
      .filter(Boolean)
      .map(Number);
    return [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0, parts[3] ?? 1];
  };
  const over = (top: Rgba, bottom: Rgba): Rgba => {
    const a = top[3];
    return [top[0] * a + bottom[0] * (1 - a), top[1] * a + bottom[1] * (1 - a), top[2] * a + bottom[2] * (1 - a), 1];
  };
  const luminance = ([r, g, b]: Rgba) => {
    const channel = (value: number) => {
      const c = value / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  const contrastOf = (fg: Rgba, bg: Rgba) => {
    const [a, b] = [luminance(fg), luminance(bg)].sort((x, y) => y - x) as [number, number];
    return (a + 0.05) / (b + 0.05);
  };
  const boxOf = (what: string, rect: DOMRect): Box => ({ what, left: rect.left, top: rect.top, right: rect.right, bottom: rect.bottom });

  const reveal = document.querySelector<HTMLElement>('.reveal')!;
  const slides = reveal.querySelector<HTMLElement>('.slides')!;
  const section = [...slides.querySelectorAll<HTMLElement>('section.present')].filter((candidate) => !candidate.classList.contains('stack')).at(-1)!;
  const scale = slides.getBoundingClientRect().width / slides.offsetWidth;

  /** The colour behind an element: the nearest painted background, else the slide's own background. */
  const slideBackground = (): Rgba => {
    const background =
      reveal.querySelector<HTMLElement>('.backgrounds .slide-background.present .slide-background.present') ??
      reveal.querySelector<HTMLElement>('.backgrounds > .slide-background.present');
    const colour = background ? parse(getComputedStyle(background).backgroundColor) : ([0, 0, 0, 0] as Rgba);
    return colour[3] > 0 ? colour : over(parse(getComputedStyle(document.body).backgroundColor), [0, 0, 0, 1]);
  };
  const behind = (element: Element): Rgba => {
    const layers: Rgba[] = [];
    for (let node: Element | null = element; node && node !== reveal; node = node.parentElement) {
      const colour = parse(getComputedStyle(node).backgroundColor);
      if (colour[3] > 0) layers.push(colour);
      if (colour[3] >= 1) break;
    }
    let colour = layers.at(-1)?.[3] === 1 ? layers.pop()! : slideBackground();
    while (layers.length) colour = over(layers.pop()!, colour);
    return colour;
  };
  /** Product of opacities up to the slide; 0 while a fragment is still hidden. */
  const opacityOf = (element: Element): number => {
    let opacity = 1;
    for (let node: Element | null = element; node && node !== slides; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.visibility === 'hidden') return 0;
      opacity *= Number(style.opacity);
    }
    return opacity;
  };

  const runs: TextRun[] = [];
  const content: Box[] = [];
  const walker = document.createTreeWalker(section, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode as Text;
    const text = node.data.trim();
    const parent = node.parentElement;
    if (!text || !parent) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const rects = [...range.getClientRects()].filter((rect) => rect.width > 0 && rect.height > 0);
    if (rects.length === 0) continue; // not rendered (display: none)
    const style = getComputedStyle(parent);
    const kind: TextRun['kind'] = parent.closest('pre') ? 'code' : parent.closest('small, .caption') ? 'caption' : 'text';
    const opacity = opacityOf(parent);
    let contrast: number | null = null;
    if (opacity > 0) {
      const colour = parse(style.color);
      contrast = contrastOf(over([colour[0], colour[1], colour[2], colour[3] * opacity], behind(parent)), behind(parent));
    }
    runs.push({ text: text.slice(0, 60), px: parseFloat(style.fontSize) * scale, kind, contrast, bold: Number(style.fontWeight) >= 700 });
    if (opacity > 0) for (const rect of rects) content.push(boxOf(`text "${text.slice(0, 30)}"`, rect));
  }
  for (const media of section.querySelectorAll('img, svg, canvas, video')) {
    if (media.closest('svg') !== media && media.tagName.toLowerCase() === 'svg' && media.parentElement?.closest('svg')) continue;
    const rect = media.getBoundingClientRect();
    if (rect.width > 0 && opacityOf(media) > 0) content.push(boxOf(media.tagName.toLowerCase(), rect));
  }

  const diagrams: StageAudit['diagrams'] = [];
  for (const image of section.querySelectorAll<HTMLImageElement>('img[src$=".svg"]')) {
    const svg = new DOMParser().parseFromString(await (await fetch(image.src)).text(), 'image/svg+xml').documentElement;
    const viewBoxHeight = Number(svg.getAttribute('viewBox')?.split(/\s+/)[3] ?? svg.getAttribute('height'));
    const sizes = [...svg.querySelectorAll('text')].map((text) => Number(text.getAttribute('font-size') ?? 16));
    diagrams.push({ src: image.getAttribute('src') ?? '', minPx: (Math.min(...sizes) * image.getBoundingClientRect().height) / viewBoxHeight });
  }

  const chrome: Box[] = [];
  const shown = (element: Element) => {
    const style = getComputedStyle(element);
    return style.display !== 'none' && style.visibility !== 'hidden' && Number(style.opacity) > 0 && element.getBoundingClientRect().width > 0;
  };
  for (const [selector, what] of [
    ['.reveal .controls button', 'control'],
    ['.reveal .slide-number', 'slide number'],
    ['.reveal .progress', 'progress bar'],
    ['.audience-count', 'phone count'],
    ['.stage-question', 'spotlight banner'],
    ['.overlay-status', 'status'],
  ] as const) {
    for (const element of document.querySelectorAll(selector)) {
      if (shown(element))
        chrome.push(boxOf(`${what}${element.className ? ` (${String(element.className).split(' ')[0]})` : ''}`, element.getBoundingClientRect()));
    }
  }
  const title = section.querySelector('h1, h2, h3')?.textContent?.trim() ?? '';
  return { title, scale, runs, diagrams, chrome, content, stage: boxOf('stage', reveal.getBoundingClientRect()) };
}

export const intersects = (a: Box, b: Box) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
export const inside = (inner: Box, outer: Box) =>
  inner.left >= outer.left - 0.5 && inner.top >= outer.top - 0.5 && inner.right <= outer.right + 0.5 && inner.bottom <= outer.bottom + 0.5;
