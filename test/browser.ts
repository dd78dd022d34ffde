/** Debian's Chromium driven by playwright-core: no browser download, ever. */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PROJECT_ROOT } from '../demo-server/options.js';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = path.join(PROJECT_ROOT, 'test-results');

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    // A failure, never a skip: npm test installs chromium first when it can (test/prerequisites.ts).
    throw new Error(`${CHROMIUM} is missing: sudo apt-get install -y chromium (npm test installs it when run as root)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-quic',
      '--disable-sync',
    ],
  });
}

export const PHONE = { viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

/** The current slide of a page's Reveal deck, as its heading text. */
export async function currentHeading(page: Page): Promise<string> {
  return page.evaluate(() => {
    const present = [...document.querySelectorAll('.reveal .slides section.present')].at(-1);
    return present?.querySelector('h1, h2, h3')?.textContent?.trim() ?? '';
  });
}

/** Where a page's deck stands: its present slide among all the deck's sections, and how many of that slide's fragments show. */
export async function deckSpot(page: Page): Promise<{ slide: number; fragments: number }> {
  return page.evaluate(() => {
    const sections = [...document.querySelectorAll('.reveal .slides section')];
    const present = sections.filter((section) => section.classList.contains('present')).at(-1);
    return { slide: present ? sections.indexOf(present) : -1, fragments: present?.querySelectorAll('.fragment.visible').length ?? 0 };
  });
}

/**
 * Counts the deck's moves from now on (a slide or fragment changing class), so a test knows a
 * gesture has been handled before it looks at where the deck ended up.
 */
export async function countDeckMoves(page: Page): Promise<() => Promise<number>> {
  await page.evaluate(() => {
    const counter = window as unknown as { deckMoves: number };
    counter.deckMoves = 0;
    new MutationObserver((records) => (counter.deckMoves += records.length)).observe(document.querySelector('.reveal .slides')!, {
      subtree: true,
      attributes: true,
      attributeFilter: ['class'],
    });
  });
  return () => page.evaluate(() => (window as unknown as { deckMoves: number }).deckMoves);
}

/** Resolves once no CSS transition runs on the page (a slide sliding in, a bar growing): for a picture of the settled screen. */
export async function transitionsSettled(page: Page): Promise<void> {
  await page.waitForFunction(() => document.getAnimations().every((animation) => !(animation instanceof CSSTransition) || animation.playState !== 'running'));
}

/** Collects uncaught page errors so a test can assert there were none. */
export function trackErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

/** A real touch swipe (Chrome DevTools Protocol), as a thumb on a phone would do it. */
export async function swipe(page: Page, direction: 'left' | 'right'): Promise<void> {
  const box = await page.locator('.reveal').boundingBox();
  if (!box) throw new Error('no deck on the page');
  const y = box.y + box.height / 2;
  const [from, to] = direction === 'left' ? [box.x + box.width * 0.8, box.x + box.width * 0.2] : [box.x + box.width * 0.2, box.x + box.width * 0.8];
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: from, y }] });
  for (let step = 1; step <= 5; step++) {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: from + ((to - from) * step) / 5, y }] });
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await cdp.detach();
}
