import { startServer, TEST_TOKEN } from '/work/main/test/helpers.js';
import { launchBrowser } from '/work/main/test/browser.js';
const server = await startServer();
await server.room.changeControl({ type: 'slide:set', position: { h: 9, v: 0, f: -1 } });
const browser = await launchBrowser();
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
page.on('pageerror', (e) => console.log('pageerror', e.message));
await page.goto(`${server.url}/present#token=${TEST_TOKEN}`);
await page.waitForTimeout(1500);
await page.screenshot({ path: '/tmp/dbg/code-0.png' });
for (let i = 1; i <= 2; i++) { await page.keyboard.press('ArrowRight'); }
await page.waitForTimeout(800);
await page.screenshot({ path: '/tmp/dbg/code-2.png' });
await page.keyboard.press('ArrowDown');
await page.waitForTimeout(1000);
for (let i = 1; i <= 1; i++) { await page.keyboard.press('ArrowRight'); }
await page.waitForTimeout(800);
await page.screenshot({ path: '/tmp/dbg/client-1.png' });
console.log(server.room.control.slide);
await browser.close(); await server.close();
