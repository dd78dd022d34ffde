/**
 * Loads a talk: one Markdown file with YAML front matter, split into slides
 * with reveal.js's Markdown conventions.
 *
 * - Front matter: `title` (string), `duration` (minutes, default 7),
 *   `author` (string, optional), and the room's options (talk-options.ts):
 *   `reactions`, `audience-count`, `moderation`.
 * - A line holding only `---` separates horizontal slides; `--` vertical ones.
 * - `Note:` starts the speaker notes; an optional first notes line `Pace: N`
 *   weights the slide's share of the talk time.
 * - `<!-- .slide: attrs -->` sets attributes on the slide's section;
 *   `<!-- .element: attrs -->` is applied by the browser to its element.
 * - Code fences go through code-blocks.ts (server-side highlighting, steps,
 *   `file=PATH#REGION` includes).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Marked } from 'marked';
import { parse as parseYaml } from 'yaml';
import type { SlideNotes, SlideOutline, TalkOptions } from '../../src/shared/protocol.js';
import { parseFenceInfo, readCodeFile, renderCodeBlock } from './code-blocks.js';
import { TalkLoadError } from './talk-load-error.js';
import { parseTalkOptions } from './talk-options.js';

export interface TalkSlide {
  html: string;
  /** Attributes from `<!-- .slide: … -->`, already in HTML attribute syntax. */
  attributes: string;
  title: string;
  notes: SlideNotes;
  /** Fragments on the slide (slide:set's `f` is checked against it). */
  fragments: number;
}

export interface Talk {
  id: string;
  title: string;
  duration: number;
  options: TalkOptions;
  /** From the front matter's `author:`; null when the talk names nobody. */
  author: string | null;
  /** [h][v]. */
  slides: TalkSlide[][];
}

export const DEFAULT_DURATION_MINUTES = 7;

export { TalkLoadError };

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/;
const SLIDE_ATTRIBUTES = /<!--\s*\.slide:\s*(.*?)\s*-->/;
const PACE_LINE = /^\s*Pace:\s*([0-9]*\.?[0-9]+)\s*$/i;

export function loadTalkFile(file: string, projectRoot: string): Talk {
  let source: string;
  try {
    source = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new TalkLoadError(`cannot read talk ${file}: ${(error as Error).message}`);
  }
  return parseTalk(source, { id: path.basename(file).replace(/\.md$/i, ''), projectRoot, where: file });
}

export function parseTalk(source: string, context: { id: string; projectRoot: string; where?: string }): Talk {
  const where = context.where ?? context.id;
  const frontMatter = FRONT_MATTER.exec(source);
  let meta: Record<string, unknown> | null;
  try {
    meta = (frontMatter ? parseYaml(frontMatter[1]!) : {}) as Record<string, unknown> | null;
  } catch (error) {
    throw new TalkLoadError(`${where}: the front matter is not valid YAML (${(error as Error).message.split('\n')[0]})`);
  }
  if (meta !== null && (typeof meta !== 'object' || Array.isArray(meta))) throw new TalkLoadError(`${where}: the front matter must be "key: value" lines`);
  const body = frontMatter ? source.slice(frontMatter[0].length) : source;
  const title = typeof meta?.title === 'string' && meta.title.trim() ? meta.title.trim() : context.id;
  const author = typeof meta?.author === 'string' && meta.author.trim() ? meta.author.trim() : null;
  const duration = meta?.duration === undefined ? DEFAULT_DURATION_MINUTES : Number(meta.duration);
  if (!Number.isFinite(duration) || duration <= 0 || duration > 24 * 60) {
    throw new TalkLoadError(`${where}: duration must be a positive number of minutes`);
  }

  const options = parseTalkOptions(meta ?? {}, where);
  const markdown = createMarkdown(context.projectRoot, where);
  const slides = splitLines(body, '---').map((horizontal) => splitLines(horizontal, '--').map((vertical) => parseSlide(vertical, markdown)));
  if (slides.length === 0) throw new TalkLoadError(`${where}: the talk has no slides`);
  return { id: context.id, title, duration, author, options, slides };
}

/** Splits on lines that hold only the separator, ignoring separators inside code fences. */
function splitLines(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current: string[] = [];
  let inFence = false;
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    if (!inFence && line.trim() === separator) {
      parts.push(current.join('\n'));
      current = [];
    } else {
      current.push(line);
    }
  }
  parts.push(current.join('\n'));
  return parts.filter((part) => part.trim() !== '');
}

function parseSlide(source: string, markdown: Marked): TalkSlide {
  const notesAt = source.search(/^Note:/m);
  let content = notesAt === -1 ? source : source.slice(0, notesAt);
  const notesSource = notesAt === -1 ? '' : source.slice(notesAt + 'Note:'.length);

  const attributesMatch = SLIDE_ATTRIBUTES.exec(content);
  const attributes = attributesMatch?.[1] ?? '';
  if (attributesMatch) content = content.replace(attributesMatch[0], '');

  const notesLines = notesSource.replace(/^\s*\n/, '').split('\n');
  let pace = 1;
  const paceMatch = PACE_LINE.exec(notesLines[0] ?? '');
  if (paceMatch) {
    pace = Number(paceMatch[1]);
    notesLines.shift();
  }
  const heading = /^#{1,6}\s+(.+)$/m.exec(content)?.[1] ?? '';
  const html = markdown.parse(content.trim()) as string;
  return {
    html,
    attributes,
    title: stripMarkdown(heading),
    notes: { html: markdown.parse(notesLines.join('\n').trim()) as string, pace },
    fragments: countFragments(html),
  };
}

const START_TAG = /<[a-z][^>]*>/gi;
const ELEMENT_COMMENT = /<!--\s*\.element:([\s\S]*?)-->/g;
const CLASS_ATTRIBUTE = /\bclass\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i;

/**
 * The fragments Reveal will find on a slide: every element with the class
 * `fragment`, in the HTML or given by an `<!-- .element: -->` comment (code
 * steps are such elements). Elements sharing a `data-fragment-index` count
 * once in the browser and once each here: the count may be high, never low,
 * so a real move is never refused.
 */
export function countFragments(html: string): number {
  const isFragment = (attributes: string) => {
    const match = CLASS_ATTRIBUTE.exec(attributes);
    const classes = match?.[1] ?? match?.[2] ?? match?.[3] ?? '';
    return classes.split(/\s+/).includes('fragment');
  };
  let count = 0;
  for (const [tag] of html.matchAll(START_TAG)) if (isFragment(tag)) count++;
  for (const [, attributes = ''] of html.matchAll(ELEMENT_COMMENT)) if (isFragment(attributes)) count++;
  return count;
}

function stripMarkdown(text: string): string {
  return text
    .replace(/<!--.*?-->/g, '')
    .replace(/[*_`]/g, '')
    .trim();
}

function createMarkdown(projectRoot: string, where: string): Marked {
  return new Marked({
    async: false,
    renderer: {
      code({ text, lang }) {
        const info = parseFenceInfo(lang ?? '');
        let code = text;
        if (info.file) {
          try {
            code = readCodeFile(projectRoot, info.file);
          } catch (error) {
            throw new TalkLoadError(`${where}: ${(error as Error).message}`);
          }
        }
        return renderCodeBlock(code, info);
      },
    },
  });
}

/** The `<section>` markup Reveal expects in `.slides`, for every page. */
export function renderDeckHtml(talk: Talk): string {
  const section = (slide: TalkSlide) => `<section${slide.attributes ? ' ' + slide.attributes : ''}>\n${slide.html}\n</section>`;
  return talk.slides.map((stack) => (stack.length === 1 ? section(stack[0]!) : `<section>\n${stack.map(section).join('\n')}\n</section>`)).join('\n');
}

export function talkOutline(talk: Talk): SlideOutline[][] {
  return talk.slides.map((stack) => stack.map((slide) => ({ title: slide.title })));
}

export function talkNotes(talk: Talk): SlideNotes[][] {
  return talk.slides.map((stack) => stack.map((slide) => slide.notes));
}
