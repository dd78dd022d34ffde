/** The session report speaks the language its request asks for: English, or Japanese from Accept-Language. */
import { describe, expect, it } from 'vitest';
import { presenter, serverFixture, TEST_TOKEN } from '../../test/helpers.js';
import { paceVerdict, renderReportHtml } from './report-html.js';
import type { SessionFigures } from './session-figures.js';

const FIGURES: SessionFigures = {
  talk: { id: 'drill', title: 'Node <b>', author: 'Ada' },
  session: { id: 7, startedAt: Date.UTC(2026, 10, 30, 9, 5), endedAt: Date.UTC(2026, 10, 30, 9, 35), open: false, lengthMs: 30 * 60_000 },
  audience: { peak: 12, samples: [{ atMs: 60_000, n: 12 }] },
  pace: { measuredBy: 'timer', spokenMs: 31 * 60_000, plannedMs: 30 * 60_000, overMs: 60_000 },
  slides: [
    {
      h: 0,
      v: 0,
      label: '1',
      title: 'Hello',
      inTalk: true,
      plannedMs: 30 * 60_000,
      spentMs: 31 * 60_000,
      visits: 1,
      reactions: { '👍': 3 },
      reactionTotal: 3,
      questions: 1,
      messages: 2,
    },
  ],
  totals: { reactions: 3, questions: 1, messages: 2 },
  questions: {
    answered: 1,
    unanswered: 0,
    hidden: 0,
    byVotes: [{ id: 1, text: 'Why <this>?', name: 'Bo', votes: 4, answered: true, hidden: false, slide: '1' }],
  },
  polls: [],
};

describe('the session report', () => {
  it('renders in English by default and in Japanese when asked; the talk’s and people’s text stay as written', () => {
    const english = renderReportHtml(FIGURES);
    expect(english).toContain('<html lang="en">');
    expect(english).toContain('<h2 id="audience-heading">Audience over time</h2>');
    expect(english).toContain('30 November 2026, 09:05 UTC');
    expect(english).toContain('1:00 over');
    expect(english).toContain('This talk has no polls.');
    expect(english).toContain('<span class="note">Thumbs up</span>');
    const japanese = renderReportHtml(FIGURES, 'ja');
    expect(japanese).toContain('<html lang="ja">');
    expect(japanese).toContain('<h2 id="audience-heading">参加者数の推移</h2>');
    expect(japanese).toContain('<h2 id="questions-heading">票数順の質問</h2>');
    expect(japanese).toContain('<title>Node &lt;b&gt; · セッション 7 のレポート</title>');
    expect(japanese).toContain('2026年11月30日');
    expect(japanese).toContain('1:00 超過');
    expect(japanese).toContain('このトークには投票がありません。');
    expect(japanese).toContain('<span class="badge answered">回答済み</span>');
    expect(japanese).toContain('<title id="pace-title">スライドごとの時間と計画</title>');
    expect(japanese).toContain('Why &lt;this&gt;?');
    // The reaction names the Japanese phone's buttons use, in the list and as the icon's text alternative.
    expect(japanese).toContain('aria-label="いいね"');
    expect(japanese).toContain('<span class="note">いいね</span>');
    for (const english of ['Thumbs up', 'Audience over time', 'Peak audience', 'Questions by votes', 'per slide', 'Made by livedeck', ' min<'])
      expect(japanese).not.toContain(english);
  });

  it('keeps the Markdown export’s pace verdict in English', () => {
    expect(paceVerdict(60_000)).toBe('1:00 over');
    expect(paceVerdict(-15_000)).toBe('0:15 under');
    expect(paceVerdict(null)).toBe('no plan');
  });

  const { start, sockets } = serverFixture();
  it('picks the language from Accept-Language, English when Japanese is not preferred', async () => {
    const server = await start();
    const connected = await presenter(server.url);
    sockets.push(connected.socket);
    const page = (language: string) =>
      fetch(`${server.url}/api/presenter/sessions/${connected.snapshot.sessionId}/report.html`, {
        headers: { Authorization: `Bearer ${TEST_TOKEN}`, 'Accept-Language': language },
      });
    const japanese = await page('ja-JP,ja;q=0.9,en;q=0.8');
    expect(japanese.status).toBe(200);
    expect(japanese.headers.get('vary')).toMatch(/Accept-Language/i);
    expect(await japanese.text()).toContain('<html lang="ja">');
    expect(await (await page('ja')).text()).toContain('<h2 id="pace-heading">スライドごとの時間と計画</h2>');
    expect(await (await page('en-US,ja;q=0.5')).text()).toContain('<html lang="en">');
    expect(await (await page('fr-FR')).text()).toContain('<html lang="en">');
  });
});
