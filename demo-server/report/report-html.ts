/**
 * A session's report as one self-contained HTML file: inline CSS, inline
 * SVG charts and icons, no script, nothing fetched (its own
 * Content-Security-Policy forbids it), so the downloaded file opens
 * offline, in any browser, years later, and prints.
 */
import { createRequire } from 'node:module';
import fs from 'node:fs';
import { REACTIONS } from '../../src/shared/limits.js';
import { REACTION_INFO } from '../../src/shared/reactions.js';
import type { PollExport } from '../realtime/poll-views.js';
import type { SessionFigures } from './session-figures.js';
import { reportLocale, reportNumber, reportText, type ReportLanguage } from './report-text.js';
import { activityChart, audienceChart, escapeXml, minutesAndSeconds, paceChart, pollChart, questionSplitChart } from './svg-charts.js';

interface IconSet {
  width?: number;
  height?: number;
  icons: Record<string, { body: string }>;
}

let iconSet: IconSet | undefined;

/** The reaction icons (Fluent Emoji, MIT), the same the pages draw, as inline SVG symbols. */
function reactionSymbols(): string {
  iconSet ??= JSON.parse(fs.readFileSync(createRequire(import.meta.url).resolve('@iconify-json/fluent-emoji-flat/icons.json'), 'utf8')) as IconSet;
  const set = iconSet;
  const symbols = REACTIONS.map((emoji) => {
    const { icon } = REACTION_INFO[emoji];
    return `<symbol id="icon-${icon}" viewBox="0 0 ${set.width ?? 32} ${set.height ?? 32}">${set.icons[icon]?.body ?? ''}</symbol>`;
  });
  return `<svg width="0" height="0" style="position:absolute" aria-hidden="true"><!-- Fluent Emoji, © Microsoft Corporation, MIT licence -->${symbols.join('')}</svg>`;
}

/** A reaction's name in the report's language, the one the phone's button uses; an unknown id as it came. */
function reactionLabel(emoji: string, language: ReportLanguage): string {
  const info = REACTION_INFO[emoji as keyof typeof REACTION_INFO];
  return info ? reportText(language, `reaction.${info.icon}`) : emoji;
}

function reactionIcon(emoji: string, label: string): string {
  const info = REACTION_INFO[emoji as keyof typeof REACTION_INFO];
  if (!info) return escapeXml(emoji);
  return `<svg class="icon" viewBox="0 0 32 32" role="img" aria-label="${escapeXml(label)}"><use href="#icon-${info.icon}"/></svg>`;
}

const dateTime = (ms: number, language: ReportLanguage) =>
  new Date(ms).toLocaleString(reportLocale(language), { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).replace(/,? at /, ', ') + ' UTC';

/** "0:42 over" / "0:15 under" / "on time" (English unless asked: the Markdown export uses it too). */
export function paceVerdict(overMs: number | null, language: ReportLanguage = 'en'): string {
  if (overMs === null) return reportText(language, 'report.pace-none');
  if (Math.abs(overMs) < 1000) return reportText(language, 'report.pace-on-time');
  return reportText(language, overMs > 0 ? 'report.pace-over' : 'report.pace-under', { time: minutesAndSeconds(Math.abs(overMs)) });
}

const STYLE = `
:root { color-scheme: light; --ink: #1d1d1f; --muted: #5b5b66; --line: #d9d9e0; --panel: #f5f5f8; --accent: #0b6e99;
  --spent: #0b6e99; --plan: #e6eef3; --plan-edge: #8fb3c7; --over: #d9480f; --poll: #5f3dc4;
  --c0: #d6336c; --c1: #0b7285; --c2: #5c940d; --answered: #2b8a3e; --unanswered: #e8590c; --hidden: #868e96; }
* { box-sizing: border-box; }
body { margin: 0; background: #fff; color: var(--ink); font: 16px/1.5 system-ui, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
main { max-width: 980px; margin: 0 auto; padding: 32px 24px 56px; }
header.report-head { border-bottom: 3px solid var(--ink); padding-bottom: 14px; margin-bottom: 24px; }
.kicker { margin: 0; color: var(--muted); font-size: 14px; letter-spacing: .04em; text-transform: uppercase; }
h1 { margin: 4px 0 6px; font-size: 32px; line-height: 1.2; }
.meta { margin: 0; color: var(--muted); }
h2 { margin: 36px 0 10px; font-size: 22px; }
h3 { margin: 20px 0 6px; font-size: 17px; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 12px; margin: 0; }
.tile { background: var(--panel); border-radius: 10px; padding: 12px 14px; margin: 0; }
.tile dt { color: var(--muted); font-size: 14px; }
.tile dd { margin: 2px 0 0; font-size: 28px; font-weight: 700; line-height: 1.2; }
.tile dd small { display: block; font-size: 14px; font-weight: 400; color: var(--muted); }
.chart { display: block; width: 100%; height: auto; font: 13px system-ui, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
.chart .grid { stroke: var(--line); stroke-width: 1; }
.chart .axis { stroke: var(--ink); stroke-width: 1.5; }
.chart .tick, .chart .value { fill: var(--muted); }
.chart .value.zero { fill: #b0b0b8; }
.chart .row-label, .chart .column-title, .chart .label { fill: var(--ink); }
.chart .column-title { font-weight: 700; }
.chart .empty { fill: var(--muted); font-size: 15px; }
.chart .line { fill: none; stroke: var(--accent); stroke-width: 2.5; }
.chart .area { fill: var(--accent); fill-opacity: .12; }
.chart .peak { fill: var(--accent); }
.chart .bar-plan { fill: var(--plan); stroke: var(--plan-edge); }
.chart .bar-spent { fill: var(--spent); }
.chart .bar-over { fill: var(--over); }
.chart .bar-0 { fill: var(--c0); } .chart .bar-1 { fill: var(--c1); } .chart .bar-2 { fill: var(--c2); }
.chart .stripe { fill: var(--panel); }
.chart .bar-track { fill: var(--panel); }
.chart .bar-poll { fill: var(--poll); }
.chart .split-answered { fill: var(--answered); } .chart .split-unanswered { fill: var(--unanswered); } .chart .split-hidden { fill: var(--hidden); }
.chart .split-label { fill: #fff; font-weight: 700; }
.note { color: var(--muted); margin: 4px 0 10px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; font-size: 15px; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
details { margin: 6px 0 0; }
summary { cursor: pointer; color: var(--accent); }
.icon { width: 1.25em; height: 1.25em; vertical-align: -0.25em; }
.reactions { display: flex; flex-wrap: wrap; gap: 8px 18px; padding: 0; margin: 8px 0; list-style: none; font-size: 18px; }
.questions { list-style: none; padding: 0; margin: 8px 0; }
.questions li { display: grid; grid-template-columns: 64px 1fr auto; gap: 12px; align-items: start; padding: 10px 0; border-bottom: 1px solid var(--line); }
.votes { font-size: 22px; font-weight: 700; text-align: right; line-height: 1.1; }
.votes small { display: block; font-size: 12px; font-weight: 400; color: var(--muted); }
.question-text { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.question-meta { margin: 2px 0 0; color: var(--muted); font-size: 14px; }
.badge { display: inline-block; padding: 2px 10px; border-radius: 999px; font-size: 13px; font-weight: 700; color: #fff; white-space: nowrap; }
.badge.answered { background: var(--answered); } .badge.unanswered { background: var(--unanswered); } .badge.hidden { background: var(--hidden); }
.hidden-question .question-text { color: var(--muted); }
footer { margin-top: 40px; color: var(--muted); font-size: 13px; border-top: 1px solid var(--line); padding-top: 10px; }
@media print { main { padding: 0; } h2 { break-after: avoid; } .chart, .questions li { break-inside: avoid; } details { display: none; } }
`;

function tiles(figures: SessionFigures, language: ReportLanguage): string {
  const tr = reportText.bind(null, language);
  const number = (value: number) => reportNumber(language, value);
  const { pace, audience, questions, totals } = figures;
  const paceValue = pace.plannedMs === null ? minutesAndSeconds(pace.spokenMs) : paceVerdict(pace.overMs, language);
  const paceDetail =
    pace.plannedMs === null
      ? tr(pace.measuredBy === 'timer' ? 'report.pace-timer' : 'report.pace-session')
      : tr(pace.measuredBy === 'session' ? 'report.pace-detail-session' : 'report.pace-detail', {
          spoken: minutesAndSeconds(pace.spokenMs),
          planned: minutesAndSeconds(pace.plannedMs),
        });
  const tile = (name: string, value: string, detail: string, key: string) =>
    `<div class="tile" data-figure="${key}"><dt>${name}</dt><dd>${escapeXml(value)}<small>${escapeXml(detail)}</small></dd></div>`;
  return `<dl class="tiles">${[
    tile(tr('report.tile-peak'), number(audience.peak), tr('report.tile-peak-detail', { count: audience.peak }), 'peak'),
    tile(tr('report.tile-pace'), paceValue, paceDetail, 'pace'),
    tile(
      tr('report.tile-questions'),
      number(totals.questions),
      tr('report.tile-questions-detail', { answered: number(questions.answered), open: number(questions.unanswered), hidden: number(questions.hidden) }),
      'questions',
    ),
    tile(tr('report.tile-reactions'), number(totals.reactions), tr('report.tile-reactions-detail'), 'reactions'),
    tile(tr('report.tile-chat'), number(totals.messages), tr('report.tile-chat-detail', { count: totals.messages }), 'messages'),
  ].join('')}</dl>`;
}

function slideTable(figures: SessionFigures, language: ReportLanguage): string {
  const tr = reportText.bind(null, language);
  const rows = figures.slides
    .map(
      (slide) =>
        `<tr><th scope="row">${slide.label}</th><td>${escapeXml(slide.title || '—')}${slide.inTalk ? '' : ` <em>${tr('report.no-longer')}</em>`}</td>` +
        `<td class="num">${minutesAndSeconds(slide.spentMs)}</td><td class="num">${slide.plannedMs === null ? '—' : minutesAndSeconds(slide.plannedMs)}</td>` +
        `<td class="num">${slide.visits}</td><td class="num">${slide.reactionTotal}</td><td class="num">${slide.questions}</td><td class="num">${slide.messages}</td></tr>`,
    )
    .join('');
  return (
    `<details><summary>${tr('report.table-summary')}</summary><table><thead><tr><th>${tr('report.col-slide')}</th><th>${tr('report.col-title')}</th>` +
    `<th class="num">${tr('report.col-spent')}</th><th class="num">${tr('report.col-planned')}</th><th class="num">${tr('report.col-visits')}</th>` +
    `<th class="num">${tr('report.col-reactions')}</th><th class="num">${tr('report.col-questions')}</th><th class="num">${tr('report.col-chat')}</th></tr></thead>` +
    `<tbody>${rows}</tbody></table></details>`
  );
}

function reactionTotals(figures: SessionFigures, language: ReportLanguage): string {
  const totals = new Map<string, number>();
  for (const slide of figures.slides) for (const [emoji, count] of Object.entries(slide.reactions)) totals.set(emoji, (totals.get(emoji) ?? 0) + count);
  const ordered = [
    ...REACTIONS.filter((emoji) => totals.has(emoji)),
    ...[...totals.keys()].filter((emoji) => !(REACTIONS as readonly string[]).includes(emoji)),
  ];
  if (ordered.length === 0) return `<p class="note">${reportText(language, 'report.no-reactions')}</p>`;
  return `<ul class="reactions">${ordered
    .map((emoji) => {
      const label = reactionLabel(emoji, language);
      return `<li>${reactionIcon(emoji, label)} <strong>${reportNumber(language, totals.get(emoji) ?? 0)}</strong> <span class="note">${escapeXml(label)}</span></li>`;
    })
    .join('')}</ul>`;
}

function pollSection(figures: SessionFigures, language: ReportLanguage): string {
  if (figures.polls.length === 0) return `<p class="note">${reportText(language, 'report.no-polls')}</p>`;
  return figures.polls.map((poll, index) => `<h3>${escapeXml(poll.question)}</h3>` + pollOutcome(poll, `poll-${index}`, language)).join('');
}
/** A word cloud in the report: its most frequent words as bars. */
const REPORT_WORDS = 15;

/** One poll's outcome, by kind: bars for votes and words, the list for open text (user text escaped). */
function pollOutcome(poll: PollExport, id: string, language: ReportLanguage): string {
  const tr = reportText.bind(null, language);
  const counted = (count: number, key: 'report.votes' | 'report.words' | 'report.answers') => tr(key, { count });
  const closed = poll.closed ? tr('report.closed') : '';
  switch (poll.kind) {
    case 'poll':
      return (
        `<p class="note">${counted(poll.total, 'report.votes')}${closed}</p>` +
        pollChart(
          id,
          poll.question,
          poll.options.map((option) => ({ label: option.label, value: option.votes })),
          language,
        )
      );
    case 'scale': {
      const mean =
        poll.mean === null ? '' : tr('report.mean', { mean: reportNumber(language, poll.mean, { minimumFractionDigits: 1, maximumFractionDigits: 1 }) });
      const ends = [poll.minLabel && `${poll.min} = ${poll.minLabel}`, poll.maxLabel && `${poll.max} = ${poll.maxLabel}`].filter(Boolean).join(', ');
      return (
        `<p class="note">${counted(poll.total, 'report.votes')}${mean}${closed}${ends ? ` (${escapeXml(ends)})` : ''}</p>` +
        pollChart(
          id,
          poll.question,
          poll.options.map((option) => ({ label: option.label, value: option.votes })),
          language,
        )
      );
    }
    case 'words': {
      const removed = poll.removed.length
        ? escapeXml(tr('report.removed', { words: poll.removed.map((word) => word.text).join(tr('report.list-separator')) }))
        : '';
      const words = poll.words.slice(0, REPORT_WORDS);
      return (
        `<p class="note">${counted(poll.total, 'report.words')}${closed}${removed}</p>` +
        (words.length
          ? pollChart(
              id,
              poll.question,
              words.map((word) => ({ label: word.text, value: word.count })),
              language,
            )
          : '')
      );
    }
    case 'text': {
      const answers = poll.answers.map(
        (answer) =>
          `<li${answer.hidden ? ' class="hidden-question"' : ''}>${escapeXml(answer.text)} <span class="note">— ${escapeXml(answer.name)}${answer.hidden ? tr('report.hidden-answer') : ''}</span></li>`,
      );
      return `<p class="note">${counted(poll.total, 'report.answers')}${closed}</p>` + (answers.length ? `<ul class="answers">${answers.join('')}</ul>` : '');
    }
  }
}

function questionList(figures: SessionFigures, language: ReportLanguage): string {
  const tr = reportText.bind(null, language);
  if (figures.questions.byVotes.length === 0) return '';
  const items = figures.questions.byVotes.map((question) => {
    const status = question.hidden ? 'hidden' : question.answered ? 'answered' : 'unanswered';
    return (
      `<li class="${question.hidden ? 'hidden-question' : ''}" data-question="${question.id}"><div class="votes">${question.votes}<small>${tr('report.question-votes', { count: question.votes })}</small></div>` +
      `<div><p class="question-text">${escapeXml(question.text)}</p><p class="question-meta">${escapeXml(question.name)} · ${escapeXml(tr('report.asked-on', { slide: question.slide }))}</p></div>` +
      `<span class="badge ${status}">${tr(`report.status-${status}`)}</span></li>`
    );
  });
  return `<ol class="questions">${items.join('')}</ol>`;
}

export function renderReportHtml(figures: SessionFigures, language: ReportLanguage = 'en'): string {
  const tr = reportText.bind(null, language);
  const { talk, session } = figures;
  const title = tr('report.title', { talk: talk.title, id: session.id });
  const slidesInTalk = figures.slides;
  const length = minutesAndSeconds(session.lengthMs);
  const when = `${dateTime(session.startedAt, language)} · ${tr(session.open ? 'report.still-open' : 'report.length', { length })}`;
  return `<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="livedeck">
<title>${escapeXml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${reactionSymbols()}
<main>
<header class="report-head">
<p class="kicker">${tr('report.kicker', { id: session.id })}</p>
<h1>${escapeXml(talk.title)}</h1>
<p class="meta">${talk.author ? `${escapeXml(talk.author)} · ` : ''}${escapeXml(when)}</p>
</header>
${tiles(figures, language)}
<section aria-labelledby="audience-heading">
<h2 id="audience-heading">${tr('report.audience-heading')}</h2>
${audienceChart('audience', figures.audience.samples, session.lengthMs, figures.audience.peak, language)}
</section>
<section aria-labelledby="pace-heading">
<h2 id="pace-heading">${tr('report.pace-heading')}</h2>
<p class="note">${tr(figures.pace.measuredBy === 'timer' ? 'report.pace-note-timer' : 'report.pace-note-session')} ${tr('report.pace-note-plan')}</p>
${paceChart(
  'pace',
  slidesInTalk.map((slide) => ({ label: slide.label, title: slide.title, spentMs: slide.spentMs, plannedMs: slide.plannedMs })),
  language,
)}
${slideTable(figures, language)}
</section>
<section aria-labelledby="activity-heading">
<h2 id="activity-heading">${tr('report.activity-heading')}</h2>
${activityChart(
  'activity',
  [tr('report.col-reactions'), tr('report.col-questions'), tr('report.col-chat-messages')],
  slidesInTalk.map((slide) => ({ label: slide.label, title: slide.title, values: [slide.reactionTotal, slide.questions, slide.messages] })),
  language,
)}
<h3>${tr('report.reactions-by-kind')}</h3>
${reactionTotals(figures, language)}
</section>
<section aria-labelledby="polls-heading">
<h2 id="polls-heading">${tr('report.polls-heading')}</h2>
${pollSection(figures, language)}
</section>
<section aria-labelledby="questions-heading">
<h2 id="questions-heading">${tr('report.questions-heading')}</h2>
${questionSplitChart('question-split', figures.questions.answered, figures.questions.unanswered, figures.questions.hidden, language)}
${questionList(figures, language)}
</section>
<footer>${escapeXml(tr('report.footer', { id: session.id, talk: talk.id }))}</footer>
</main>
</body>
</html>
`;
}
