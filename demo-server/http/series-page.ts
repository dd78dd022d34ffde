/**
 * /series: the series at a glance, public. Past talks (ended sessions that
 * had a room) with title, author, date and audience peak, each linking to
 * its handout. Rendered on the server with no script: nothing on it or
 * behind it is private (no reports, exports, notes or hidden questions).
 */
import { en, type MessageKey } from '../../src/i18n/en.js';
import { ja } from '../../src/i18n/ja.js';
import type { SeriesEntry, SessionSummary } from '../../src/shared/protocol.js';
import type { CatalogEntry } from '../talk/catalog.js';

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Ended sessions someone joined, newest first, with their talk's title and author as its file reads now. */
export function seriesEntries(sessions: readonly SessionSummary[], talks: readonly CatalogEntry[]): SeriesEntry[] {
  const byId = new Map(talks.map((entry) => [entry.id, entry.talk]));
  return sessions
    .filter((session) => session.endedAt !== null && (session.peakAudience > 0 || session.questions > 0 || session.messages > 0))
    .sort((a, b) => b.startedAt - a.startedAt || b.id - a.id)
    .map((session) => {
      const talk = byId.get(session.talkId);
      return {
        sessionId: session.id,
        talkId: session.talkId,
        title: talk?.title ?? session.talkId,
        author: talk?.author ?? null,
        startedAt: session.startedAt,
        peakAudience: session.peakAudience,
      };
    });
}

const STYLE = `
:root { color-scheme: dark; }
* { box-sizing: border-box; }
body { margin: 0; background: #141414; color: #f2f2f2; font: 17px/1.5 system-ui, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
main { max-width: 920px; margin: 0 auto; padding: 28px 20px 48px; }
h1 { margin: 0 0 4px; font-size: 30px; }
.lede { margin: 0 0 24px; color: #c8c8c8; }
a { color: #78dce8; }
a:focus-visible { outline: 3px solid #78dce8; outline-offset: 2px; }
ol { list-style: none; margin: 0; padding: 0; }
li { display: grid; grid-template-columns: 1fr auto; gap: 4px 16px; padding: 14px 0; border-bottom: 1px solid #343434; }
.talk { margin: 0; font-size: 20px; line-height: 1.3; }
.meta { margin: 0; color: #c8c8c8; }
.peak { grid-row: span 2; align-self: center; text-align: right; font-size: 26px; font-weight: 700; line-height: 1.1; }
.peak small { display: block; font-size: 13px; font-weight: 400; color: #c8c8c8; }
.empty { color: #c8c8c8; }
@media (max-width: 480px) { li { grid-template-columns: 1fr; } .peak { grid-row: auto; text-align: left; font-size: 18px; } .peak small { display: inline; margin-left: 6px; } }
`;

/** The page's languages: the phone's string tables, chosen from the request's Accept-Language. */
export type SeriesLanguage = 'en' | 'ja';
const TABLES = { en, ja };
/** The page's strings hold no placeholders or plurals: plain text from the table. */
const text = (language: SeriesLanguage, key: MessageKey & `series.${string}`) => String(TABLES[language][key]);

export function renderSeriesPage(entries: readonly SeriesEntry[], language: SeriesLanguage = 'en', seriesTitle = text(language, 'series.title')): string {
  const date = (ms: number) =>
    new Date(ms).toLocaleDateString(language === 'ja' ? 'ja-JP' : 'en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  const items = entries.map(
    (entry) =>
      `<li data-session="${entry.sessionId}"><h2 class="talk"><a href="/handout/${entry.sessionId}">${escapeHtml(entry.title)}</a></h2>` +
      `<p class="peak">${entry.peakAudience}<small>${text(language, 'series.peak')}</small></p>` +
      `<p class="meta">${entry.author ? `${escapeHtml(entry.author)} · ` : ''}<time datetime="${new Date(entry.startedAt).toISOString()}">${date(entry.startedAt)}</time></p></li>`,
  );
  return `<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="theme-color" content="#141414">
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<title>${escapeHtml(seriesTitle)} · livedeck</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${escapeHtml(seriesTitle)}</h1>
<p class="lede">${text(language, 'series.lede')}</p>
${items.length ? `<ol class="series">${items.join('')}</ol>` : `<p class="empty">${text(language, 'series.empty')}</p>`}
</main>
</body>
</html>
`;
}
