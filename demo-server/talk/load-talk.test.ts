import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../options.js';
import { extractRegion, parseFenceInfo, splitHighlightedLines } from './code-blocks.js';
import { loadTalkFile, parseTalk, renderDeckHtml, TalkLoadError } from './load-talk.js';

const parse = (source: string, projectRoot = PROJECT_ROOT) => parseTalk(source, { id: 'demo', projectRoot });

describe('parseTalk', () => {
  it('reads front matter and defaults the duration to 7 minutes', () => {
    expect(parse('---\ntitle: Hello\n---\n# One').duration).toBe(7);
    const talk = parse('---\ntitle: Hello\nduration: 12\n---\n# One');
    expect(talk).toMatchObject({ id: 'demo', title: 'Hello', duration: 12 });
  });

  it('splits horizontal slides on --- and vertical ones on --', () => {
    const talk = parse('---\ntitle: T\n---\n# A\n\n---\n\n# B\n\n--\n\n## B.1\n\n---\n\n# C');
    expect(talk.slides.map((stack) => stack.map((slide) => slide.title))).toEqual([['A'], ['B', 'B.1'], ['C']]);
  });

  it('does not split on separators inside code fences', () => {
    const talk = parse('# A\n\n```text\n---\n--\n```\n\n---\n\n# B');
    expect(talk.slides).toHaveLength(2);
    expect(talk.slides[0]![0]!.html).toContain('---');
  });

  it('takes notes after Note:, with an optional Pace weight, and keeps them out of the deck', () => {
    const talk = parse('# A\n\nVisible\n\nNote:\nPace: 2\nSay **hello**.\n\n---\n\n# B\n\nNote:\nPlain notes');
    const [a, b] = talk.slides.map((stack) => stack[0]!);
    expect(a!.notes.pace).toBe(2);
    expect(a!.notes.html).toContain('<strong>hello</strong>');
    expect(a!.notes.html).not.toContain('Pace');
    expect(b!.notes.pace).toBe(1);
    expect(renderDeckHtml(talk)).not.toMatch(/hello|Plain notes/);
  });

  it('moves .slide attribute comments onto the section', () => {
    const talk = parse('<!-- .slide: data-background-color="#123456" -->\n\n# A');
    expect(renderDeckHtml(talk)).toContain('<section data-background-color="#123456">');
  });

  it('wraps vertical stacks in a parent section', () => {
    const html = renderDeckHtml(parse('# A\n\n--\n\n# A2\n\n---\n\n# B'));
    expect(html.match(/<section/g)).toHaveLength(4);
    expect(html.startsWith('<section>\n<section>')).toBe(true);
  });

  it('highlights code on the server and turns steps into fragments', () => {
    const talk = parse('```ts [1|2-3]\nconst a = 1;\nconst b = 2;\nconst c = 3;\n```');
    const html = talk.slides[0]![0]!.html;
    expect(html).toContain('data-steps="1|2-3"');
    expect(html).toContain('<span class="hljs-keyword">const</span>');
    expect(html.match(/class="code-line"/g)).toHaveLength(3);
    expect(html.match(/fragment code-step/g)).toHaveLength(1);
  });

  it('counts the fragments Reveal will find: classes, element comments and code steps', () => {
    const talk = parse(
      [
        '# None',
        '---',
        '- one <!-- .element: class="fragment" -->\n- two <!-- .element: class="fragment fade-in" -->\n- not <!-- .element: class="fragments" -->',
        '---',
        '<p class="fragment">a</p><p class=\'x fragment\'>b</p>\n\n```ts [1|2|3]\na;\nb;\nc;\n```',
      ].join('\n\n'),
    );
    expect(talk.slides.map((stack) => stack[0]!.fragments)).toEqual([0, 2, 4]);
    // Highlighted code mentioning the class is text, not an element.
    expect(parse('```html\n<li class="fragment">x</li>\n```').slides[0]![0]!.fragments).toBe(0);
  });

  it('fills a fence from a source file region', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'talk-'));
    fs.writeFileSync(path.join(root, 'code.ts'), 'skip();\n  // #region hello\n  say("hi");\n  // #endregion\nskip();\n');
    const html = parse('```ts file=code.ts#hello\n```', root).slides[0]![0]!.html;
    expect(html).toContain('say');
    expect(html).not.toContain('skip');
  });

  it('refuses a missing region and a file outside the project with a clear error', () => {
    expect(() => parse('```ts file=demo-server/options.ts#nope\n```')).toThrow(/no "\/\/ #region nope"/);
    expect(() => parse('```ts file=../etc/passwd\n```')).toThrow(TalkLoadError);
  });

  it('rejects a nonsensical duration', () => {
    expect(() => parse('---\nduration: -3\n---\n# A')).toThrow(/duration/);
  });
});

describe('code helpers', () => {
  it('parses fence info strings', () => {
    expect(parseFenceInfo('ts [1-3|5] file=a/b.ts#r')).toEqual({ language: 'ts', steps: ['1-3', '5'], file: { path: 'a/b.ts', region: 'r' } });
    expect(parseFenceInfo('')).toEqual({ language: '', steps: [] });
  });

  it('keeps highlighted lines well-formed when a span crosses a line break', () => {
    const lines = splitHighlightedLines('<span class="c">/* a\nb */</span> x');
    expect(lines).toEqual(['<span class="c">/* a</span>', '<span class="c">b */</span> x']);
  });

  it('dedents a region', () => {
    expect(extractRegion('  // #region r\n    a\n      b\n  // #endregion', 'r', 'f')).toBe('a\n  b');
  });
});

describe('the shipped talk', () => {
  const talk = loadTalkFile(path.join(PROJECT_ROOT, 'slides/nodejs-websockets.md'), PROJECT_ROOT);

  it('has notes on every slide, a vertical stack and the join slide', () => {
    const slides = talk.slides.flat();
    expect(slides.length).toBeGreaterThan(10);
    expect(slides.every((slide) => slide.notes.html.trim().length > 0)).toBe(true);
    expect(talk.slides.some((stack) => stack.length > 1)).toBe(true);
    expect(renderDeckHtml(talk)).toContain('data-widget="join"');
    expect(talk.duration).toBe(7);
  });
});
