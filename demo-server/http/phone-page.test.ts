import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../options.js';
import { parseTalk } from '../talk/load-talk.js';
import { checkPhoneTemplate, renderPhonePage } from './phone-page.js';

const template = fs.readFileSync(path.join(PROJECT_ROOT, 'src/index.html'), 'utf8');
const talk = parseTalk(
  `---
title: Fish & <Chips>
---

<!-- .slide: data-background-color="#1b2a3a" -->

# Opening "words"

---

## Second

--

### Below <it>

--

<!-- .slide: data-background-color="red;}</style><script>" -->

## Hostile background
`,
  { id: 'test', projectRoot: PROJECT_ROOT },
);

describe('the phone page as the server renders it', () => {
  it('finds every mark it replaces in the page template', () => {
    expect(() => checkPhoneTemplate(template)).not.toThrow();
    expect(() => checkPhoneTemplate(template.replace('<h1 class="talk-title">livedeck</h1>', '<h1>livedeck</h1>'))).toThrow(/talk-title/);
  });

  it('carries the talk title, the live slide title (same heading level), its background and the position, escaped', () => {
    const html = renderPhonePage(template, { talk: () => talk, position: () => ({ h: 0, v: 0, f: -1 }) });
    expect(html).toContain('<title>Fish &amp; &lt;Chips&gt;</title>');
    expect(html).toContain('<h1 class="talk-title">Fish &amp; &lt;Chips&gt;</h1>');
    expect(html).toContain('<body class="audience" data-slide="0.0.-1">');
    expect(html).toContain('<section class="present"><h1>Opening &quot;words&quot;</h1></section>');
    expect(html).toContain('<div class="reveal phone-deck" tabindex="0" style="--slide-background: #1b2a3a">');
  });

  it('paints no frame before the whole stage is parsed, so a page that arrives or parses in pieces never shifts', () => {
    const html = renderPhonePage(template, { talk: () => talk, position: () => ({ h: 0, v: 0, f: -1 }) });
    const target = /<link rel="expect" href="#([\w-]+)" blocking="render" \/>/.exec(html)?.[1];
    expect(target).toBeDefined();
    // The stage's last element: the slide, its toolbar and the room below it are all parsed by then.
    const stage = /<main class="stage">([\s\S]*?)<\/main>/.exec(html)?.[1] ?? '';
    const lastTag = [...stage.matchAll(/<\w+[^>]*>/g)].at(-1)?.[0];
    expect(lastTag).toContain(`id="${target}"`);
  });

  it('follows the live position into vertical slides, and never writes a background it cannot trust', () => {
    const below = renderPhonePage(template, { talk: () => talk, position: () => ({ h: 1, v: 1, f: 2 }) });
    expect(below).toContain('data-slide="1.1.2"');
    expect(below).toContain('<section class="present"><h3>Below &lt;it&gt;</h3></section>');
    expect(below).toContain('<div class="reveal phone-deck" tabindex="0">');
    const hostile = renderPhonePage(template, { talk: () => talk, position: () => ({ h: 1, v: 2, f: -1 }) });
    expect(hostile).not.toContain('<script>');
    expect(hostile).toContain('<div class="reveal phone-deck" tabindex="0">');
  });
});
