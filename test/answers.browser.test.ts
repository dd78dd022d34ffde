/**
 * Scales, word clouds and open text in real browsers: phones answer (in the
 * slide and in their live card), the projector shows it at 1280×720 and
 * 1920×1080, the console moderates. Screenshots land in test-results/.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { PROJECT_ROOT } from '../demo-server/options.js';
import { screenshot, trackErrors } from './browser.js';
import { browserFixture, TEST_TOKEN } from './helpers.js';

/** slides/widgets-tour.md: each widget on its own horizontal slide. */
const SLIDES = { scale: { h: 4, v: 0, f: -1 }, words: { h: 5, v: 0, f: -1 }, text: { h: 6, v: 0, f: -1 } };
const SMALL_PHONE: BrowserContextOptions = { viewport: { width: 320, height: 568 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

describe('scales, word clouds and open text in real browsers', () => {
  const fixture = browserFixture({ talkFile: path.join(PROJECT_ROOT, 'slides', 'widgets-tour.md') });
  let projector: Page;
  let phones: Page[];
  const errors: string[] = [];

  async function open(options: BrowserContextOptions, url: string): Promise<Page> {
    const page = await (await fixture.browser.newContext(options)).newPage();
    errors.push(...trackErrors(page));
    await page.goto(`${fixture.server.url}${url}`);
    return page;
  }

  async function showSlide(position: { h: number; v: number; f: number }): Promise<void> {
    await fixture.server.room.changeControl({ type: 'slide:set', position });
    for (const page of [projector, ...phones]) {
      await expect
        .poll(() => page.evaluate(() => document.querySelector('.reveal .slides section.present [data-widget]')?.getAttribute('data-widget')))
        .toBeTruthy();
    }
  }

  /** The widget on the projector's current slide. */
  const onStage = (page: Page, selector: string) => page.locator(`.reveal .slides section.present ${selector}`);

  beforeAll(async () => {
    await fixture.server.room.changeControl({ type: 'slide:set', position: SLIDES.words });
    projector = await open({ viewport: { width: 1280, height: 720 } }, `/present#token=${TEST_TOKEN}`);
    phones = [await open(PHONE, '/'), await open(SMALL_PHONE, '/')];
  });

  it('grows a word cloud on the projector as phones send words, one word however it is typed, in place as it grows', async () => {
    await showSlide(SLIDES.words);
    const cloud = onStage(projector, '.words');
    await cloud.waitFor();
    // One phone writes in its live card, the other in the slide itself.
    const card = phones[0]!.locator('.live-card .entry-form');
    for (const word of ['Fast', 'async', '速い']) {
      await card.locator('input').fill(word);
      await card.locator('button').click();
      await expect.poll(() => card.locator('input').inputValue()).toBe('');
    }
    await expect.poll(() => card.locator('.entry-status').textContent()).toContain('That’s all your words');
    expect(await card.locator('input').isVisible()).toBe(false);

    await expect.poll(() => cloud.getAttribute('data-total')).toBe('3');
    const fastAt = await cloud.locator('.cloud-word[data-key="fast"]').boundingBox();

    const slideForm = phones[1]!.locator('.reveal section.present .words .entry-form');
    for (const word of ['fast!', '速い。', 'ＥＶＥＮＴＳ']) {
      await slideForm.locator('input').fill(word);
      await slideForm.locator('button').click();
      await expect.poll(() => slideForm.locator('input').inputValue()).toBe('');
    }
    await expect.poll(() => cloud.getAttribute('data-total')).toBe('6');
    await expect.poll(() => cloud.locator('.cloud-word[data-key="fast"]').getAttribute('data-count')).toBe('2');
    expect(await cloud.locator('.cloud-word[data-key="速い"]').textContent()).toBe('速い');
    expect(await cloud.locator('.cloud-word').count()).toBe(4);
    await projector.waitForTimeout(800); // the words' grow transition, for the picture
    const fastNow = await cloud.locator('.cloud-word[data-key="fast"]').boundingBox();
    // "fast" grew in place: its centre did not move.
    expect(Math.abs(fastNow!.x + fastNow!.width / 2 - (fastAt!.x + fastAt!.width / 2))).toBeLessThan(2);
    expect(Math.abs(fastNow!.y + fastNow!.height / 2 - (fastAt!.y + fastAt!.height / 2))).toBeLessThan(2);
    // …and it is now the biggest word: typed twice, the others once.
    const asyncNow = await cloud.locator('.cloud-word[data-key="async"]').boundingBox();
    expect(fastNow!.height).toBeGreaterThan(asyncNow!.height);

    await screenshot(projector, 'words-projector-1280x720');
    await projector.setViewportSize({ width: 1920, height: 1080 });
    await projector.waitForTimeout(800);
    await screenshot(projector, 'words-projector-1920x1080');
    await projector.setViewportSize({ width: 1280, height: 720 });
    await screenshot(phones[0]!, 'words-phone-card-390x844');
    await phones[1]!.locator('.reveal section.present .cloud').scrollIntoViewIfNeeded();
    await screenshot(phones[1]!, 'words-phone-slide-320x568');
  });

  it('lets the console remove a word from the cloud on every screen', async () => {
    const desk = await open({ viewport: { width: 1280, height: 800 } }, `/present/console#token=${TEST_TOKEN}`);
    const panel = desk.locator('.poll-panel');
    await expect.poll(() => panel.isVisible()).toBe(true);
    await expect.poll(() => panel.locator('.word-moderation li').count()).toBe(4);
    // The list to moderate keeps its room beside the room health and reactions: all four words in the panel, on screen.
    const [panelBox, lastWord] = [await panel.boundingBox(), await panel.locator('.word-moderation li').last().boundingBox()];
    expect(lastWord!.y + lastWord!.height).toBeLessThanOrEqual(Math.min(panelBox!.y + panelBox!.height, 800));
    await screenshot(desk, 'words-console-1280x800');
    await panel.locator('.word-moderation li[data-key="events"] [data-action="remove"]').click();
    await expect.poll(() => onStage(projector, '.cloud-word[data-key="events"]').count()).toBe(0);
    await expect.poll(() => phones[1]!.locator('.reveal section.present .cloud-word[data-key="events"]').count()).toBe(0);
    await expect.poll(() => panel.locator('.word-moderation.is-removed li[data-key="events"]').count()).toBe(1);
    await desk.context().close();
  });

  it('shows the spread and mean of a scale as phones rate', async () => {
    await showSlide(SLIDES.scale);
    await phones[0]!.locator('.live-card .scale-choice[data-option="3"]').click();
    await phones[1]!.locator('.reveal section.present .scale-choice[data-option="4"]').click();
    const chart = onStage(projector, '.scale');
    await expect.poll(() => chart.getAttribute('data-total')).toBe('2');
    expect(await chart.getAttribute('data-mean')).toBe('4.5');
    expect(await chart.locator('.poll-total').textContent()).toBe('2 ratings · mean 4.5');
    await expect.poll(() => phones[0]!.locator('.live-card .scale-value.is-mine .scale-choice').getAttribute('data-option')).toBe('3');
    await projector.waitForTimeout(600);
    await screenshot(projector, 'scale-projector-1280x720');
    await screenshot(phones[0]!, 'scale-phone-card-390x844');
    await phones[1]!.locator('.reveal section.present .scale').scrollIntoViewIfNeeded();
    await screenshot(phones[1]!, 'scale-phone-slide-320x568');
  });

  it('keeps open answers between a phone and the console until the presenter shows one or the list', async () => {
    await showSlide(SLIDES.text);
    const desk = await open({ viewport: { width: 1280, height: 800 } }, `/present/console#token=${TEST_TOKEN}`);
    const card = phones[0]!.locator('.live-card .answers');
    await card.locator('textarea').fill('WebRTC: how video calls work, with a live demo like the race');
    await card.locator('button[type="submit"]').click();
    await expect.poll(() => card.locator('.answer-mine li').count()).toBe(1);
    const slideForm = phones[1]!.locator('.reveal section.present .answers');
    await slideForm.locator('textarea').fill('テストの書き方');
    await slideForm.locator('textarea').press('Enter');
    await expect.poll(() => onStage(projector, '.answers').getAttribute('data-count')).toBe('2');
    // Nobody else sees an answer yet: not the projector, not the other phone.
    expect(await onStage(projector, '.answers').textContent()).not.toContain('WebRTC');
    expect(await phones[1]!.locator('body').textContent()).not.toContain('WebRTC');

    const panel = desk.locator('.poll-panel');
    await expect.poll(() => panel.locator('.answer-moderation li').count()).toBe(2);
    await screenshot(desk, 'text-console-1280x800');
    await panel.locator('.answer-moderation li', { hasText: 'WebRTC' }).locator('[data-action="show"]').click();
    await expect.poll(() => onStage(projector, '.answer-shown').textContent()).toContain('WebRTC');
    await expect.poll(() => phones[1]!.locator('.reveal section.present .answer-list').textContent()).toContain('WebRTC');
    await screenshot(projector, 'text-projector-one-1280x720');

    await panel.locator('[data-show="list"]').click();
    await expect.poll(() => onStage(projector, '.answer-list li').count()).toBe(2);
    await screenshot(projector, 'text-projector-list-1280x720');
    await projector.setViewportSize({ width: 1920, height: 1080 });
    await screenshot(projector, 'text-projector-list-1920x1080');
    await projector.setViewportSize({ width: 1280, height: 720 });
    await screenshot(phones[0]!, 'text-phone-card-390x844');
    await phones[1]!.locator('.reveal section.present .answers').scrollIntoViewIfNeeded();
    await screenshot(phones[1]!, 'text-phone-slide-320x568');

    await panel.locator('.answer-moderation li', { hasText: 'テスト' }).locator('[data-action="hide"]').click();
    await expect.poll(() => onStage(projector, '.answer-list li').count()).toBe(1);
    expect(errors).toEqual([]);
  });
});
