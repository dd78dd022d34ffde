import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { PHONE, screenshot, trackErrors } from './browser.js';
import { browserFixture, presenter, TEST_TOKEN, type TestClient } from './helpers.js';

const questionTexts = (page: Page) => page.$$eval('.question-list li .text', (nodes) => nodes.map((node) => node.textContent));

describe('the room on real phones', () => {
  const fixture = browserFixture();
  let boss: TestClient;

  beforeAll(async () => {
    boss = (await presenter(fixture.server.url)).socket;
    fixture.sockets.push(boss);
  });

  async function openPhone(): Promise<{ page: Page; errors: string[] }> {
    const page = await (await fixture.browser.newContext(PHONE)).newPage();
    const errors = trackErrors(page);
    await page.goto(`${fixture.server.url}/`);
    await page.waitForSelector('.reveal.ready');
    await page.waitForFunction(() => document.querySelector('.status')?.textContent === 'live');
    return { page, errors };
  }

  it('carries chat, questions, votes and moderation between two phones and the presenter', async () => {
    const byText = new Map<string, number>();
    boss.on('question:updated', (question) => byText.set(question.text, question.id));
    const presenterPage = await (await fixture.browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await presenterPage.goto(`${fixture.server.url}/present#token=${TEST_TOKEN}`);
    await presenterPage.waitForSelector('.reveal.ready');
    const one = await openPhone();
    const two = await openPhone();

    // Phone one picks a name in the dialog; it sticks to what it sends.
    await one.page.click('.name-button');
    await one.page.fill('#name-input', 'Ada');
    await one.page.click('.name-form button[type=submit]');
    await expect.poll(() => one.page.textContent('.name-button')).toContain('Ada');

    // Phone two is on the Q&A tab, so phone one's chat message raises its unread badge.
    await two.page.click('#tab-questions');
    await one.page.fill('#view-chat input', 'Hello from phone one <img src=x onerror=alert(1)>');
    await one.page.press('#view-chat input', 'Enter');
    await expect.poll(() => two.page.textContent('#tab-chat .badge')).toBe('1');
    await two.page.click('#tab-chat');
    await expect.poll(() => two.page.textContent('.chat-list')).toContain('Hello from phone one <img src=x onerror=alert(1)>');
    expect(await two.page.textContent('.chat-list .who')).toBe('Ada');
    expect(await two.page.$('.chat-list img')).toBeNull(); // user text is text, never HTML

    // Questions: both appear on both phones; a vote reorders the list.
    await one.page.click('#tab-questions');
    await two.page.click('#tab-questions');
    await one.page.fill('#view-questions input', 'First question');
    await one.page.press('#view-questions input', 'Enter');
    await expect.poll(() => questionTexts(two.page)).toEqual(['First question']);
    await two.page.fill('#view-questions input', 'Second question');
    await two.page.press('#view-questions input', 'Enter');
    await expect.poll(() => questionTexts(one.page)).toEqual(['First question', 'Second question']);
    await one.page.click('.question-list li:nth-child(2) .vote');
    await expect.poll(() => questionTexts(one.page)).toEqual(['Second question', 'First question']);
    await expect.poll(() => questionTexts(two.page)).toEqual(['Second question', 'First question']);
    expect(await one.page.getAttribute('.question-list li:nth-child(1) .vote', 'aria-pressed')).toBe('true');
    await screenshot(one.page, 'phone-questions');

    // The presenter spotlights one question (on the projector and every phone), then hides the other.
    await boss.emitWithAck('question:spotlight', { id: byText.get('First question')! });
    await expect.poll(() => presenterPage.textContent('.stage-question-text')).toBe('First question');
    await expect.poll(() => two.page.textContent('.spotlight')).toContain('First question');
    await screenshot(presenterPage, 'presenter-spotlight');

    await boss.emitWithAck('question:hide', { id: byText.get('Second question')! });
    await expect.poll(() => questionTexts(one.page)).toEqual(['First question']);
    await expect.poll(() => questionTexts(two.page)).toEqual(['First question']);
    await two.page.click('#tab-chat');
    await screenshot(two.page, 'phone-chat');
    expect([...one.errors, ...two.errors]).toEqual([]);
  });
});
