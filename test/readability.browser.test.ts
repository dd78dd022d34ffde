/**
 * The projector from the back row (issue 13, items 1 and 3): every slide of
 * the talk, visited in talk order with →, at 1280×720 and 1920×1080. Room
 * text ≥ 24 px, captions ≥ 18 px, code ≥ 20 px, code lines at WCAG AA
 * contrast, nothing of Reveal's or ours over slide content or each other.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot, trackErrors } from './browser.js';
import { browserFixture, presenter, TEST_TOKEN } from './helpers.js';
import { auditStage, inside, intersects, type StageAudit } from './stage-audit.js';

const SCREENS = [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
];

/** The deck's position as the room sees it: which slide (in talk order) and how many fragments are shown. */
function position(page: Page): Promise<{ slide: number; fragments: number; title: string }> {
  return page.evaluate(() => {
    const sections = [...document.querySelectorAll('.reveal .slides section')].filter((section) => !section.classList.contains('stack'));
    const present = sections.findIndex((section) => section.classList.contains('present'));
    const current = sections[present];
    return {
      slide: present,
      fragments: current?.querySelectorAll('.fragment.visible').length ?? 0,
      title: current?.querySelector('h1, h2, h3')?.textContent?.trim() ?? '',
    };
  });
}

/** Every stop of the talk in order: each slide, then each of its fragments. */
function talkStops(page: Page): Promise<Array<{ slide: number; fragments: number; title: string }>> {
  return page.evaluate(() =>
    [...document.querySelectorAll('.reveal .slides section')]
      .filter((section) => !section.classList.contains('stack'))
      .flatMap((section, slide) => {
        const title = section.querySelector('h1, h2, h3')?.textContent?.trim() ?? '';
        const count = new Set([...section.querySelectorAll<HTMLElement>('.fragment')].map((fragment) => fragment.dataset.fragmentIndex)).size;
        return Array.from({ length: count + 1 }, (_, fragments) => ({ slide, fragments, title }));
      }),
  );
}

function problems(audit: StageAudit): string[] {
  const found: string[] = [];
  const where = `“${audit.title}”`;
  for (const run of audit.runs) {
    const min = run.kind === 'code' ? 20 : run.kind === 'caption' ? 18 : 24;
    if (run.px < min - 0.05) found.push(`${where}: ${run.kind} “${run.text}” is ${run.px.toFixed(1)} px (< ${min})`);
    if (run.contrast !== null) {
      // WCAG 2.1 AA: 4.5:1, or 3:1 for large text (24 px, or 18.66 px bold); code is held to 4.5 whatever its size.
      const large = run.kind !== 'code' && (run.px >= 24 || (run.bold && run.px >= 18.66));
      const need = large ? 3 : 4.5;
      if (run.contrast < need) found.push(`${where}: ${run.kind} “${run.text}” has contrast ${run.contrast.toFixed(2)} (< ${need})`);
    }
  }
  for (const diagram of audit.diagrams) {
    if (diagram.minPx < 24 - 0.05) found.push(`${where}: diagram ${diagram.src} labels at ${diagram.minPx.toFixed(1)} px (< 24)`);
  }
  for (const box of audit.content) {
    if (!inside(box, audit.stage)) found.push(`${where}: ${box.what} runs off the stage`);
    for (const chrome of audit.chrome) if (intersects(box, chrome)) found.push(`${where}: ${chrome.what} overlaps ${box.what}`);
  }
  audit.chrome.forEach((a, index) => {
    for (const b of audit.chrome.slice(index + 1)) if (intersects(a, b)) found.push(`${where}: ${a.what} overlaps ${b.what}`);
  });
  return found;
}

describe('the projector, read from the back row', () => {
  const fixture = browserFixture();
  const { sockets } = fixture;

  async function openProjector(screen: { width: number; height: number }): Promise<Page> {
    // Reduced motion: the projector cuts between slides, so each stop can be measured at once.
    const page = await (await fixture.browser.newContext({ viewport: screen, reducedMotion: 'reduce' })).newPage();
    await page.goto(`${fixture.server.url}/present#token=${TEST_TOKEN}`);
    await page.waitForSelector('.reveal.ready');
    await expect.poll(() => page.locator('.audience-count').textContent()).toMatch(/\d/);
    return page;
  }

  for (const screen of SCREENS) {
    const size = `${screen.width}x${screen.height}`;
    it(`visits every slide in talk order with → and every one is readable at ${size}`, { timeout: 180_000 }, async () => {
      await fixture.server.room.changeControl({ type: 'slide:set', position: { h: 0, v: 0, f: -1 } });
      const page = await openProjector(screen);
      const errors = trackErrors(page);
      const stops = await talkStops(page);
      // The talk's vertical stack (reload, polling, push) is part of the walk.
      expect(stops.map((stop) => stop.title)).toContain('2. AJAX polling');
      const found: string[] = [];
      for (const [index, stop] of stops.entries()) {
        if (index > 0) await page.keyboard.press('ArrowRight');
        await expect.poll(() => position(page)).toEqual(stop);
        found.push(...problems(await page.evaluate(auditStage)));
        const last = stops[index + 1]?.slide !== stop.slide;
        if (last) await screenshot(page, `projector-${size}-${String(stop.slide + 1).padStart(2, '0')}`);
      }
      // The phones followed the projector to the end.
      const end = stops.at(-1)!;
      expect(await position(page)).toEqual(end);
      await expect.poll(() => fixture.server.room.control.slide.h).toBe(fixture.server.room.talk.slides.length - 1);
      expect([...new Set(found)]).toEqual([]);
      expect(errors).toEqual([]);
    });
  }

  it('keeps ↑ ↓ within a stack, and Space and PageDown step like →', async () => {
    const page = await openProjector({ width: 1280, height: 720 });
    const stops = await talkStops(page);
    const stackTop = stops.findLast((stop) => stop.title === 'A new message arrives…')!;
    const reload = stops.find((stop) => stop.title === '1. Reload with F5')!;
    const polling = stops.find((stop) => stop.title === '2. AJAX polling')!;
    const h = fixture.server.room.talk.slides.findIndex((stack) => stack.length > 1);
    await fixture.server.room.changeControl({ type: 'slide:set', position: { h, v: 0, f: stackTop.fragments - 1 } });
    await expect.poll(() => position(page)).toEqual(stackTop);

    await page.keyboard.press('Space');
    await expect.poll(() => position(page)).toEqual(reload);
    await page.keyboard.press('PageDown');
    await expect.poll(() => position(page)).toEqual(polling);
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => position(page)).toEqual(reload);
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => position(page)).toEqual(polling);
    await expect.poll(() => fixture.server.room.control.slide).toMatchObject({ h, v: 2 });
    await page.keyboard.press('PageUp');
    await expect.poll(() => position(page)).toEqual(reload);

    // Outside a stack ↓ has nowhere to go: the → after it lands on the very next slide.
    const side = stops.findIndex((stop) => stop.title === 'Side by side');
    await fixture.server.room.changeControl({ type: 'slide:set', position: { h: h + 1, v: 0, f: -1 } });
    await expect.poll(() => position(page)).toEqual(stops[side]);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => position(page)).toEqual(stops[side + 1]);
  });

  it('gives the spotlighted question a band of its own, and steps it aside in the overview', { timeout: 90_000 }, async () => {
    const desk = await presenter(fixture.server.url);
    sockets.push(desk.socket);
    const asked = await desk.socket.emitWithAck('question:ask', {
      text: 'When the venue Wi-Fi blocks WebSockets, how long does the fallback to long-polling take, and does the race show it?',
    });
    if (!asked.ok) throw new Error(asked.error.message);
    // The race: the widest, fullest slide of the talk.
    const race = fixture.server.room.talk.slides.findIndex((stack) => stack[0]!.html.includes('data-widget="race"'));
    await fixture.server.room.changeControl({ type: 'slide:set', position: { h: race, v: 0, f: -1 } });
    for (const screen of SCREENS) {
      const page = await openProjector(screen);
      await desk.socket.emitWithAck('question:spotlight', { id: asked.question.id });
      const banner = page.locator('.stage-question');
      await expect.poll(() => banner.isVisible()).toBe(true);
      expect(await page.locator('.stage-question-text').textContent()).toBe(asked.question.text);
      // The deck lays itself out above the banner: nothing of the slide under it or behind the corners.
      await expect.poll(async () => problems(await page.evaluate(auditStage)).filter((problem) => !/px \(</.test(problem))).toEqual([]);
      const audit = await page.evaluate(auditStage);
      expect(audit.chrome.some((box) => box.what.startsWith('spotlight banner'))).toBe(true);
      await screenshot(page, `projector-${screen.width}x${screen.height}-spotlight`);

      await page.keyboard.press('Escape');
      await expect.poll(() => page.locator('.reveal.overview').count()).toBe(1);
      await expect.poll(() => banner.isVisible()).toBe(false);
      await page.keyboard.press('Escape');
      await expect.poll(() => banner.isVisible()).toBe(true);
      await desk.socket.emitWithAck('question:spotlight', { id: null });
      await expect.poll(() => banner.isVisible()).toBe(false);
      await page.context().close();
    }
  });
});
