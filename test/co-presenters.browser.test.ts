/**
 * The console for a team (issue 13, items 5–7) in a real browser: two
 * presenters' consoles agree who drives and hand over with one tap, the
 * room's health fills in from a real phone, review mode holds a question
 * until the console approves or refuses it, and the phone says how many
 * questions the presenter hid.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { PHONE, screenshot, trackErrors } from './browser.js';
import { audience, browserFixture, startServer, tempDir, TEST_TOKEN } from './helpers.js';

describe('co-presenters, room health and review in the console', () => {
  const fixture = browserFixture({ driverTakeoverMs: 1000 });
  const { sockets } = fixture;

  /** A presenter's console on their own laptop, with their name remembered on it. */
  async function console(name: string): Promise<Page> {
    const context = await fixture.browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addInitScript((stored) => localStorage.setItem('livedeck.presenterName', stored), name);
    const page = await context.newPage();
    await page.goto(`${fixture.server.url}/present/console#token=${TEST_TOKEN}`);
    await expect.poll(() => page.textContent('.connection')).toBe('live');
    return page;
  }

  it('shows every console who drives, refuses the other’s keys, and hands over with one tap', async () => {
    const alice = await console('Alice');
    await expect.poll(() => alice.textContent('.drive-status')).toBe('You are driving: the phones follow you.');
    const bob = await console('Bob');
    const errors = [...trackErrors(alice), ...trackErrors(bob)];
    await expect.poll(() => bob.textContent('.drive-status')).toBe('Alice is driving.');
    expect(await bob.textContent('.drive-name')).toBe('You: Bob ✎');

    const before = fixture.server.room.control.slide.seq;
    await bob.keyboard.press('ArrowRight');
    await expect.poll(() => bob.locator('.console-error').textContent()).toContain('Alice is driving');
    expect(fixture.server.room.control.slide.seq).toBe(before);

    await bob.locator('.drive-action').click();
    await expect.poll(() => alice.textContent('.drive-status')).toBe('You are driving. Bob asks to drive.');
    await expect.poll(() => bob.textContent('.drive-status')).toBe('Alice is driving. Waiting for Alice to hand over…');
    await screenshot(alice, 'console-driver-asked');
    await alice.locator('.drive-action').click();
    await expect.poll(() => bob.textContent('.drive-status')).toBe('You are driving: the phones follow you.');
    await expect.poll(() => alice.textContent('.drive-status')).toBe('Bob is driving.');
    await bob.keyboard.press('ArrowRight');
    await expect.poll(() => fixture.server.room.control.slide.seq).toBeGreaterThan(before);
    await screenshot(bob, 'console-driving');
    expect(errors).toEqual([]);
    await alice.context().close();
    await bob.context().close();
  });

  it('fills the room health from a real phone, and holds a question for review until refused', { timeout: 90_000 }, async () => {
    const desk = await console('Host');
    if (!(await desk.textContent('.drive-status'))?.startsWith('You are driving')) {
      // The driver of the previous test left: take over once its screens have been gone long enough.
      await expect.poll(() => desk.locator('.drive-action').isEnabled()).toBe(true);
      await desk.locator('.drive-action').click();
      await expect.poll(() => desk.textContent('.drive-status')).toBe('You are driving: the phones follow you.');
    }
    const phone = await (await fixture.browser.newContext(PHONE)).newPage();
    const errors = [...trackErrors(desk), ...trackErrors(phone)];
    await phone.goto(`${fixture.server.url}/`);
    await expect.poll(() => desk.textContent('.health-phones')).toBe('1');
    expect(await desk.textContent('.health-latency')).toBe('after a move');

    // One phone in the room samples every move: its report becomes the latency on the console.
    await desk.keyboard.press('ArrowRight');
    await expect.poll(() => desk.textContent('.health-latency'), { timeout: 15_000 }).toMatch(/^\d+ ms · p95 \d+ ms$/);
    expect(await desk.textContent('.health-slowest')).toBe('1 WebSocket · 0 polling');

    await desk.locator('.review-toggle').click();
    await expect.poll(() => desk.locator('.review-toggle').getAttribute('aria-pressed')).toBe('true');
    // The phone already in the room hears of it live: under its ask box, that questions wait for approval.
    await expect.poll(() => phone.locator('.review-note').textContent()).toBe('The presenter approves questions before the room sees them.');
    const asker = await audience(fixture.server.url, 'review-asker', 'Zed');
    sockets.push(asker.socket);
    const held = await asker.socket.emitWithAck('question:ask', { text: 'Can I sell you something?' });
    expect(held).toMatchObject({ ok: true, question: { pending: true } });
    const row = desk.locator('.question.is-pending');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.locator('.meta .state').textContent()).toBe('waiting for you');
    await screenshot(desk, 'console-review-health');
    await row.locator('.refuse').click();
    await expect.poll(() => desk.locator('.question.is-pending').count()).toBe(0);

    // The phone never saw it, and now knows that one question was hidden.
    await phone.locator('#tab-questions').click();
    await expect.poll(() => phone.locator('.hidden-note').textContent()).toBe('1 question hidden by the presenter');
    expect(await phone.locator('#view-questions').textContent()).not.toContain('sell you');
    await screenshot(phone, 'phone-hidden-count');
    expect(errors).toEqual([]);
  });

  it('keeps the phone count off the projector when the talk says so', async () => {
    const file = path.join(tempDir(), 'no-count.md');
    fs.writeFileSync(file, '---\ntitle: No count\naudience-count: false\nreactions: [👏]\n---\n\n# One\n');
    const other = await startServer({ talkFile: file });
    try {
      const projector = await (await fixture.browser.newContext({ viewport: { width: 1280, height: 720 } })).newPage();
      await projector.goto(`${other.url}/present#token=${TEST_TOKEN}`);
      await projector.waitForSelector('.reveal.ready');
      await expect.poll(() => other.presence.online).toBe(true);
      expect(await projector.locator('.audience-count').count()).toBe(0);
      const phone = await (await fixture.browser.newContext(PHONE)).newPage();
      await phone.goto(`${other.url}/`);
      await expect.poll(() => phone.locator('.reaction').count()).toBe(1);
    } finally {
      await other.close();
    }
  });
});
