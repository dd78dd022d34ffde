/** /series speaks the language its request asks for: English, or Japanese from Accept-Language. */
import { describe, expect, it } from 'vitest';
import { serverFixture } from '../../test/helpers.js';
import { renderSeriesPage } from './series-page.js';

const ENTRY = { sessionId: 3, talkId: 'talk', title: 'Node <b>', author: 'Ada', startedAt: Date.UTC(2026, 10, 30, 9), peakAudience: 12 };

describe('the series page', () => {
  it('renders in English by default and in Japanese when asked, with the date in the language', () => {
    const english = renderSeriesPage([ENTRY]);
    expect(english).toContain('<html lang="en">');
    expect(english).toContain('12<small>peak audience</small>');
    expect(english).toContain('30 November 2026');
    expect(english).toContain('Node &lt;b&gt;');
    const japanese = renderSeriesPage([ENTRY], 'ja');
    expect(japanese).toContain('<html lang="ja">');
    expect(japanese).toContain('<h1>シリーズ</h1>');
    expect(japanese).toContain('12<small>最大参加者数</small>');
    expect(japanese).toContain('2026年11月30日');
    expect(renderSeriesPage([], 'ja')).toContain('まだトークは行われていません。');
  });

  const { start } = serverFixture();
  it('picks the language from Accept-Language, English when Japanese is not preferred', async () => {
    const server = await start();
    const page = (language: string) => fetch(`${server.url}/series`, { headers: { 'Accept-Language': language } });
    const japanese = await page('ja-JP,ja;q=0.9,en;q=0.8');
    expect(japanese.headers.get('vary')).toMatch(/Accept-Language/i);
    expect(await japanese.text()).toContain('<html lang="ja">');
    expect(await (await page('ja-JP')).text()).toContain('<html lang="ja">');
    expect(await (await page('en-US,ja;q=0.5')).text()).toContain('<html lang="en">');
    expect(await (await page('fr-FR')).text()).toContain('<html lang="en">');
  });
});
