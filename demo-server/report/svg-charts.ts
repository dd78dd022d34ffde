/**
 * The report's charts, drawn as plain SVG strings: no script, no library,
 * no web font, so they read the same in the browser, in a downloaded file
 * opened offline and on paper. Each chart names itself for screen readers
 * (`role="img"`, a title and a description); the report prints the same
 * numbers in tables beside them.
 *
 * Colours come from CSS classes the report's stylesheet defines, so the
 * charts follow its light theme and print in it.
 */
import { reportText, type ReportLanguage } from './report-text.js';

export const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** Round numbers for a scale: 1, 2, 5, 10, 20, 50… at or above `value`. */
export function niceCeiling(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

/** A step of whole seconds that reads well on a clock: 1, 2, 5, 10, 15, 30 s. */
function niceSecondStep(ms: number): number {
  for (const seconds of [1, 2, 5, 10, 15, 30]) if (seconds * 1000 >= ms) return seconds * 1000;
  return 60_000;
}

const fixed = (value: number) => (Math.round(value * 10) / 10).toString();

/** `m:ss` for the axes and labels. */
export function minutesAndSeconds(ms: number): string {
  const seconds = Math.round(Math.abs(ms) / 1000);
  return `${ms < 0 ? '−' : ''}${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

function svgOpen(id: string, width: number, height: number, title: string, description: string): string {
  return (
    `<svg class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="${id}-title ${id}-desc" xmlns="http://www.w3.org/2000/svg">` +
    `<title id="${id}-title">${escapeXml(title)}</title><desc id="${id}-desc">${escapeXml(description)}</desc>`
  );
}

/** Shortens a label to about `max` characters, on a word boundary when it can. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > max * 0.6 ? cut.slice(0, space) : cut}…`;
}

export interface StepPoint {
  atMs: number;
  n: number;
}

/**
 * The audience over the session: a step line (the count holds until it
 * changes), the time axis in minutes from the start, the peak marked.
 */
export function audienceChart(id: string, samples: readonly StepPoint[], lengthMs: number, peak: number, language: ReportLanguage = 'en'): string {
  const tr = reportText.bind(null, language);
  const width = 920;
  const height = 260;
  const left = 48;
  const right = 16;
  const top = 16;
  const bottom = 36;
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  const yMax = niceCeiling(Math.max(peak, 1));
  const xMax = Math.max(lengthMs, 1);
  const x = (ms: number) => left + (Math.min(Math.max(ms, 0), xMax) / xMax) * plotWidth;
  const y = (n: number) => top + plotHeight - (n / yMax) * plotHeight;
  const parts: string[] = [svgOpen(id, width, height, tr('report.audience-heading'), tr('report.chart-audience-desc', { peak }))];

  for (const fraction of [0, 0.25, 0.5, 0.75, 1]) {
    const value = Math.round(yMax * fraction);
    parts.push(`<line class="grid" x1="${left}" x2="${width - right}" y1="${fixed(y(value))}" y2="${fixed(y(value))}"/>`);
    parts.push(`<text class="tick" x="${left - 8}" y="${fixed(y(value) + 4)}" text-anchor="end">${value}</text>`);
  }
  // Whole minutes on a talk's axis; a session shorter than a few minutes gets m:ss ticks (counted in whole steps, no float drift).
  const minuteStep = niceCeiling(xMax / 60_000 / 8);
  const stepMs = minuteStep >= 1 ? minuteStep * 60_000 : niceSecondStep(xMax / 8);
  for (let index = 0; index * stepMs <= xMax; index++) {
    const ms = index * stepMs;
    const at = x(ms);
    const label = stepMs % 60_000 === 0 ? tr('report.chart-minutes', { count: ms / 60_000 }) : minutesAndSeconds(ms);
    parts.push(`<line class="grid" x1="${fixed(at)}" x2="${fixed(at)}" y1="${top}" y2="${top + plotHeight}"/>`);
    parts.push(`<text class="tick" x="${fixed(at)}" y="${height - bottom + 18}" text-anchor="middle">${label}</text>`);
  }

  if (samples.length === 0) {
    parts.push(`<text class="empty" x="${width / 2}" y="${top + plotHeight / 2}" text-anchor="middle">${escapeXml(tr('report.chart-no-phones'))}</text>`);
  } else {
    // From the start at 0 (nobody had joined yet) to the first sample, then each count held until the next.
    let path = `M${fixed(x(0))},${fixed(y(0))}`;
    for (const sample of samples) path += ` H${fixed(x(sample.atMs))} V${fixed(y(sample.n))}`;
    path += ` H${fixed(x(xMax))}`;
    parts.push(`<path class="area" d="${path} V${fixed(y(0))} Z"/>`);
    parts.push(`<path class="line" d="${path}"/>`);
    const top1 = samples.find((sample) => sample.n === peak);
    if (top1) {
      const px = x(top1.atMs);
      const anchor = px > width - 160 ? 'end' : 'start';
      parts.push(`<circle class="peak" cx="${fixed(px)}" cy="${fixed(y(peak))}" r="5"/>`);
      parts.push(
        `<text class="label" x="${fixed(px + (anchor === 'end' ? -10 : 10))}" y="${fixed(Math.max(y(peak) - 8, top + 12))}" text-anchor="${anchor}">${escapeXml(tr('report.chart-peak', { peak, time: minutesAndSeconds(top1.atMs) }))}</text>`,
      );
    }
  }
  parts.push(`<line class="axis" x1="${left}" x2="${width - right}" y1="${top + plotHeight}" y2="${top + plotHeight}"/>`);
  parts.push('</svg>');
  return parts.join('');
}

export interface PaceRow {
  label: string;
  title: string;
  spentMs: number;
  plannedMs: number | null;
}

/**
 * Time on each slide against its share of the plan: the plan as an outlined
 * bar, the time spent as a filled one over it (the part past the plan in the
 * "over" colour).
 */
export function paceChart(id: string, rows: readonly PaceRow[], language: ReportLanguage = 'en'): string {
  const tr = reportText.bind(null, language);
  const width = 920;
  const rowHeight = 26;
  const top = 30;
  const labelWidth = 300;
  const valueWidth = 110;
  const plotWidth = width - labelWidth - valueWidth - 16;
  const height = top + rows.length * rowHeight + 12;
  const xMax = Math.max(1, ...rows.map((row) => Math.max(row.spentMs, row.plannedMs ?? 0)));
  const scale = (ms: number) => (ms / xMax) * plotWidth;
  const parts = [svgOpen(id, width, height, tr('report.pace-heading'), tr('report.chart-pace-desc'))];
  parts.push(
    `<g class="legend"><rect class="bar-plan" x="${labelWidth}" y="6" width="14" height="12"/><text class="tick" x="${labelWidth + 20}" y="16">${escapeXml(tr('report.chart-planned'))}</text>` +
      `<rect class="bar-spent" x="${labelWidth + 90}" y="6" width="14" height="12"/><text class="tick" x="${labelWidth + 110}" y="16">${escapeXml(tr('report.chart-spent'))}</text>` +
      `<rect class="bar-over" x="${labelWidth + 170}" y="6" width="14" height="12"/><text class="tick" x="${labelWidth + 190}" y="16">${escapeXml(tr('report.chart-over'))}</text></g>`,
  );
  rows.forEach((row, index) => {
    const y = top + index * rowHeight;
    parts.push(
      `<text class="row-label" x="${labelWidth - 10}" y="${y + 17}" text-anchor="end">${escapeXml(row.label)}  ${escapeXml(clip(row.title, 34))}</text>`,
    );
    if (row.plannedMs !== null) {
      parts.push(`<rect class="bar-plan" x="${labelWidth}" y="${y + 3}" width="${fixed(scale(row.plannedMs))}" height="${rowHeight - 6}"/>`);
    }
    const within = row.plannedMs === null ? row.spentMs : Math.min(row.spentMs, row.plannedMs);
    parts.push(`<rect class="bar-spent" x="${labelWidth}" y="${y + 7}" width="${fixed(scale(within))}" height="${rowHeight - 14}"/>`);
    if (row.plannedMs !== null && row.spentMs > row.plannedMs) {
      parts.push(
        `<rect class="bar-over" x="${fixed(labelWidth + scale(row.plannedMs))}" y="${y + 7}" width="${fixed(scale(row.spentMs - row.plannedMs))}" height="${rowHeight - 14}"/>`,
      );
    }
    const text = row.plannedMs === null ? minutesAndSeconds(row.spentMs) : `${minutesAndSeconds(row.spentMs)} / ${minutesAndSeconds(row.plannedMs)}`;
    parts.push(`<text class="value" x="${width - 8}" y="${y + 17}" text-anchor="end">${text}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

export interface ActivityRow {
  label: string;
  title: string;
  values: readonly number[];
}

/**
 * Small multiples: one column per measure (reactions, questions, chat), one
 * row per slide, each column on its own scale so a few questions still show
 * beside a hundred reactions.
 */
export function activityChart(id: string, columns: readonly string[], rows: readonly ActivityRow[], language: ReportLanguage = 'en'): string {
  const tr = reportText.bind(null, language);
  const list = columns.join(tr('report.list-separator'));
  const width = 920;
  const rowHeight = 24;
  const top = 34;
  const labelWidth = 300;
  const gap = 24;
  const columnWidth = (width - labelWidth - gap * columns.length) / columns.length;
  const height = top + rows.length * rowHeight + 10;
  const maxima = columns.map((_, column) => Math.max(1, ...rows.map((row) => row.values[column] ?? 0)));
  const parts = [
    svgOpen(id, width, height, tr('report.chart-activity-title', { columns: list }), tr('report.chart-activity-desc', { columns: list.toLowerCase() })),
  ];
  columns.forEach((name, column) => {
    const x = labelWidth + gap + column * (columnWidth + gap);
    parts.push(`<text class="column-title" x="${fixed(x)}" y="20">${escapeXml(name)}</text>`);
  });
  rows.forEach((row, index) => {
    const y = top + index * rowHeight;
    if (index % 2 === 0) parts.push(`<rect class="stripe" x="0" y="${y}" width="${width}" height="${rowHeight}"/>`);
    parts.push(
      `<text class="row-label" x="${labelWidth - 10}" y="${y + 16}" text-anchor="end">${escapeXml(row.label)}  ${escapeXml(clip(row.title, 34))}</text>`,
    );
    columns.forEach((_, column) => {
      const value = row.values[column] ?? 0;
      const x = labelWidth + gap + column * (columnWidth + gap);
      const barWidth = (value / maxima[column]!) * (columnWidth - 40);
      if (value > 0)
        parts.push(`<rect class="bar-${column}" x="${fixed(x)}" y="${y + 5}" width="${fixed(Math.max(barWidth, 2))}" height="${rowHeight - 10}"/>`);
      parts.push(`<text class="value${value === 0 ? ' zero' : ''}" x="${fixed(x + Math.max(barWidth, 2) + 6)}" y="${y + 16}">${value}</text>`);
    });
  });
  parts.push('</svg>');
  return parts.join('');
}

export interface BarItem {
  label: string;
  value: number;
}

/** One poll: a bar per option with its votes and share. */
export function pollChart(id: string, question: string, items: readonly BarItem[], language: ReportLanguage = 'en'): string {
  const tr = reportText.bind(null, language);
  const width = 920;
  const rowHeight = 30;
  const labelWidth = 330;
  const valueWidth = 110;
  const plotWidth = width - labelWidth - valueWidth;
  const height = items.length * rowHeight + 8;
  const total = items.reduce((sum, item) => sum + item.value, 0);
  const max = Math.max(1, ...items.map((item) => item.value));
  const parts = [
    svgOpen(
      id,
      width,
      height,
      question,
      tr('report.chart-poll-desc', {
        votes: tr('report.votes', { count: total }),
        items: items.map((item) => `${item.label} ${item.value}`).join(tr('report.list-separator')),
      }),
    ),
  ];
  items.forEach((item, index) => {
    const y = 4 + index * rowHeight;
    parts.push(`<text class="row-label" x="${labelWidth - 10}" y="${y + 19}" text-anchor="end">${escapeXml(clip(item.label, 40))}</text>`);
    parts.push(`<rect class="bar-track" x="${labelWidth}" y="${y + 5}" width="${plotWidth}" height="${rowHeight - 10}"/>`);
    if (item.value > 0)
      parts.push(`<rect class="bar-poll" x="${labelWidth}" y="${y + 5}" width="${fixed((item.value / max) * plotWidth)}" height="${rowHeight - 10}"/>`);
    const share = total === 0 ? 0 : Math.round((item.value / total) * 100);
    parts.push(`<text class="value" x="${width - 8}" y="${y + 19}" text-anchor="end">${item.value} · ${share}%</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

/** Answered / unanswered / hidden as one bar split in three. */
export function questionSplitChart(id: string, answered: number, unanswered: number, hidden: number, language: ReportLanguage = 'en'): string {
  const tr = reportText.bind(null, language);
  const width = 920;
  const height = 56;
  const total = answered + unanswered + hidden;
  const parts = [svgOpen(id, width, height, tr('report.chart-split-title'), tr('report.chart-split-desc', { answered, unanswered, hidden }))];
  if (total === 0) {
    parts.push(`<text class="empty" x="${width / 2}" y="30" text-anchor="middle">${escapeXml(tr('report.chart-no-questions'))}</text></svg>`);
    return parts.join('');
  }
  let x = 0;
  for (const [name, value] of [
    ['answered', answered],
    ['unanswered', unanswered],
    ['hidden', hidden],
  ] as const) {
    if (value === 0) continue;
    const segment = (value / total) * width;
    parts.push(`<rect class="split-${name}" x="${fixed(x)}" y="4" width="${fixed(segment)}" height="28"/>`);
    if (segment > 90) parts.push(`<text class="split-label" x="${fixed(x + 8)}" y="23">${escapeXml(tr(`report.split-${name}`, { count: value }))}</text>`);
    x += segment;
  }
  parts.push(`<text class="tick" x="0" y="50">${escapeXml(tr('report.chart-questions', { count: total }))}</text>`);
  parts.push('</svg>');
  return parts.join('');
}
