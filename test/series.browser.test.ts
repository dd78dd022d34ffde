/**
 * The series in the presenter's hands: the home lists every talk (a broken
 * file with its error), the console ends the talk and phones get the
 * handout, the report opens from the sessions list and its download reads
 * offline with its charts, and "Make live" moves every phone to another talk.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from './axe.js';
import { PHONE, screenshot, SCREENSHOTS, trackErrors } from './browser.js';
import { ja } from '../src/i18n/ja.js';
import { audience, browserFixture, tempDir, TEST_TOKEN } from './helpers.js';

const talk = (title: string, author: string, slides: string[]) =>
  `---\ntitle: ${title}\nauthor: ${author}\nduration: 3\n---\n\n${slides.map((heading) => `## ${heading}\n\nSome words.\n\nNote:\nPace: 1`).join('\n\n---\n\n')}\n`;

describe('the presenter’s home, the report and the handout in a browser', () => {
  let folder = '';
  const fixture = browserFixture(() => {
    folder = tempDir();
    fs.writeFileSync(path.join(folder, 'alpha.md'), talk('Alpha talk', 'Ann Alpha', ['Alpha one', 'Alpha two', 'Alpha three']));
    fs.writeFileSync(path.join(folder, 'beta.md'), talk('Beta talk', 'Ben Beta', ['Beta one', 'Beta two']));
    fs.writeFileSync(path.join(folder, 'broken.md'), '---\ntitle: [unclosed\n---\n\n# Broken\n');
    fs.writeFileSync(path.join(folder, 'gamma.md'), talk('Gamma talk', 'Gil Gamma', ['Gamma one']));
    return { slidesDir: folder, talkFile: path.join(folder, 'alpha.md') };
  });
  const { sockets } = fixture;
  let phone: Page;
  let home: Page;
  const errors: string[] = [];
  let firstSession = 0;

  beforeAll(async () => {
    phone = await (await fixture.browser.newContext({ ...PHONE, viewport: { width: 390, height: 844 } })).newPage();
    errors.push(...trackErrors(phone));
    await phone.goto(`${fixture.server.url}/`);
    await phone.waitForFunction(() => document.querySelector('.status')?.textContent === 'live');
    firstSession = fixture.server.room.sessionId;
    // Something for the report: a question, reactions on the second slide.
    const other = (await audience(fixture.server.url, 'series-browser-1')).socket;
    sockets.push(other);
    await other.emitWithAck('question:ask', { text: 'Will the report show this?' });
    await fixture.server.room.changeControl({ type: 'slide:set', position: { h: 1, v: 0, f: -1 } });
    other.emit('reaction:send', { emoji: '👏' });

    home = await (await fixture.browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    errors.push(...trackErrors(home));
    await home.goto(`${fixture.server.url}/present/sessions#token=${TEST_TOKEN}`);
    await home.waitForSelector('tr[data-talk="alpha"]');
  });

  it('lists every talk with its author, sessions and state; a broken file with its error and no way to go live', async () => {
    const rows = await home.$$eval('.talks-list tbody tr[data-talk]', (trs) =>
      trs.map((tr) => ({ id: tr.getAttribute('data-talk'), text: tr.textContent ?? '' })),
    );
    expect(rows.map((row) => row.id).sort()).toEqual(['alpha', 'beta', 'broken', 'gamma']);
    expect(rows.find((row) => row.id === 'alpha')!.text).toMatch(/Ann Alpha.*3 min.*Live/);
    expect(rows.find((row) => row.id === 'broken')!.text).toContain('Does not load');
    expect(await home.locator('tr[data-talk-error="broken"] .talk-error').textContent()).not.toBe('');
    // The error (a long one: the file's path and the YAML parser's message) has a row of its own: the talk's row is
    // as tall as any other, and no column wraps ("Does not load" and the dates keep to one line).
    const height = (selector: string) => home.locator(selector).evaluate((element) => element.getBoundingClientRect().height);
    // (Within the border it goes without, as the error row below it is part of the same talk.)
    expect(Math.abs((await height('tr[data-talk="broken"]')) - (await height('tr[data-talk="beta"]')))).toBeLessThan(2);
    expect(await home.locator('.talks-list table').evaluate((table) => table.scrollWidth <= table.parentElement!.clientWidth)).toBe(true);
    expect(await home.locator('tr[data-talk="broken"] .make-live').count()).toBe(0);
    expect(await home.locator('tr[data-talk="alpha"] .make-live').count()).toBe(0);
    await home.waitForSelector(`.sessions-list tr[data-session="${firstSession}"]`);
    await screenshot(home, 'presenter-home-1280x800');
    expect(await axeViolations(home)).toEqual([]);
    // On a phone the tables scroll sideways, not the page, and the error wraps at the screen's width.
    for (const { width, height } of [
      { width: 390, height: 844 },
      { width: 320, height: 568 },
      { width: 844, height: 390 },
    ]) {
      const small = await (await fixture.browser.newContext({ ...PHONE, viewport: { width, height } })).newPage();
      await small.goto(`${fixture.server.url}/present/sessions#token=${TEST_TOKEN}`);
      await small.waitForSelector('tr[data-talk-error="broken"]');
      await screenshot(small, `presenter-home-${width}x${height}`);
      expect(await small.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      expect(await small.locator('tr[data-talk-error="broken"] .talk-error').evaluate((error) => error.getBoundingClientRect().right)).toBeLessThanOrEqual(
        width,
      );
      expect(await axeViolations(small)).toEqual([]);
      await small.close();
    }
  });

  it('ends the talk from the console: the phone shows the handout', async () => {
    const desk = await (await fixture.browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    errors.push(...trackErrors(desk));
    await desk.goto(`${fixture.server.url}/present/console#token=${TEST_TOKEN}`);
    await desk.waitForSelector('.preview-current .reveal.ready');
    desk.once('dialog', (dialog) => void dialog.accept());
    await desk.click('.end-talk');
    await phone.waitForSelector('.handout-deck', { timeout: 20_000 });
    await expect.poll(() => desk.locator('.end-talk').textContent()).toBe('Talk ended');
    await screenshot(desk, 'console-ended-1280x800');
    await desk.close();
  });

  it('opens the session’s report, and its download reads offline with its charts', async () => {
    await home.reload();
    const row = home.locator(`.sessions-list tr[data-session="${firstSession}"]`);
    await row.waitFor();
    const [report] = await Promise.all([home.context().waitForEvent('page'), row.locator('.open-report').click()]);
    await report.waitForURL(/^blob:/);
    await report.waitForFunction(() => document.querySelectorAll('svg').length >= 3);
    expect(await report.title()).toContain('Alpha talk');
    await report.close();

    const [download] = await Promise.all([home.waitForEvent('download'), row.locator('[data-export="report"]').click()]);
    expect(download.suggestedFilename()).toBe(`session-${firstSession}-report.html`);
    const file = path.join(SCREENSHOTS, 'downloaded-report.html');
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await download.saveAs(file);

    // Offline, with JavaScript off and every request refused: what shows is what the file holds.
    const context = await fixture.browser.newContext({ viewport: { width: 1280, height: 800 }, offline: true, javaScriptEnabled: false });
    const requests: string[] = [];
    context.on('request', (request) => requests.push(request.url()));
    await context.route(/^(?!file:)/, (route) => route.abort());
    const offline = await context.newPage();
    await offline.goto(`file://${file}`);
    const charts = await offline.$$eval('svg', (svgs) => svgs.filter((svg) => svg.getBoundingClientRect().width > 100).length);
    expect(charts).toBeGreaterThanOrEqual(3);
    expect(await offline.textContent('body')).toContain('Will the report show this?');
    expect(requests.filter((url) => !url.startsWith('file:'))).toEqual([]);
    await screenshot(offline, 'report-offline-1280x800');
    await offline.evaluate(() => undefined).catch(() => undefined);
    await context.close();
  });

  it('says in Japanese why a talk that broke since the list was drawn cannot go live, and shows its error', async () => {
    const desk = await (await fixture.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'ja-JP' })).newPage();
    errors.push(...trackErrors(desk));
    await desk.goto(`${fixture.server.url}/present/sessions#token=${TEST_TOKEN}`);
    await desk.locator('tr[data-talk="gamma"] .make-live').waitFor();
    fs.writeFileSync(path.join(folder, 'gamma.md'), '---\ntitle: [unclosed again\n---\n\n# Gamma\n');
    await desk.locator('tr[data-talk="gamma"] .make-live').click();
    await expect.poll(() => desk.textContent('.sessions-status')).toBe(`「Gamma talk」をライブにできませんでした。${ja['refusal.talk_broken']}`);
    await expect.poll(() => desk.locator('tr[data-talk-error="gamma"] .talk-error').count()).toBe(1);
    // Nothing moved: alpha is still the talk on the screens.
    expect(await desk.locator('tr[data-talk="alpha"]').getAttribute('class')).toContain('is-live');
    await screenshot(desk, 'ja-sessions-make-live-refused-1280x800');
    await desk.context().close();
  });

  it('makes another talk live with a click: the phone follows to it', async () => {
    await home.locator('tr[data-talk="beta"] .make-live').click();
    await expect.poll(() => home.locator('tr[data-talk="beta"] .talk-state').textContent()).toBe('Live');
    await phone.waitForFunction(() => document.querySelector('.talk-title')?.textContent === 'Beta talk', undefined, { timeout: 20_000 });
    await phone.waitForFunction(() => document.querySelector('.status')?.textContent === 'live');
    expect(await phone.locator('.handout').count()).toBe(0);
    // The old talk keeps its session, ended, with its report.
    const sessions = await (
      await fetch(`${fixture.server.url}/api/presenter/sessions?talk=alpha`, { headers: { Authorization: `Bearer ${TEST_TOKEN}` } })
    ).json();
    expect(sessions).toMatchObject({ sessions: [{ id: firstSession, endedAt: expect.any(Number) }] });
    expect(errors).toEqual([]);
  });
});
