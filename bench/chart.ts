/**
 * The benchmark draws its own chart: two line plots side by side (slide
 * fan-out p99 and join-storm time against the number of phones), livedeck
 * beside the raw `ws` reference and livedeck as two workers, as a
 * standalone SVG string.
 */

export interface Series {
  label: string;
  color: string;
  dashed?: boolean;
  points: Array<{ x: number; y: number }>;
}

export interface Panel {
  title: string;
  unit: string;
  series: Series[];
  /** A horizontal target line, if the issue sets one. */
  target?: { y: number; label: string };
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** 1, 2, 2.5, 5 × 10^k steps, about five of them. */
function niceStep(max: number): number {
  const rough = max / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((candidate) => candidate >= rough);
  return step ?? 10 * power;
}

const formatNumber = (value: number) =>
  value >= 1000 && Number.isInteger(value / 100) ? `${value / 1000}k` : Number.isInteger(value) ? String(value) : value.toFixed(value < 100 ? 1 : 0);

const LABEL_PLACES = [
  { dx: -6, dy: -8, anchor: 'end' },
  { dx: -6, dy: 17, anchor: 'end' },
  { dx: 8, dy: 14, anchor: 'start' },
] as const;

function panel(spec: Panel, left: number, top: number, width: number, height: number): string {
  const xs = [...new Set(spec.series.flatMap((series) => series.points.map((point) => point.x)))].sort((a, b) => a - b);
  const finiteYs = spec.series.flatMap((series) => series.points.map((point) => point.y)).filter(Number.isFinite);
  const yMaxData = Math.max(1e-9, ...finiteYs, spec.target?.y ?? 0);
  const step = niceStep(yMaxData * 1.1);
  const yMax = Math.ceil((yMaxData * 1.1) / step) * step;
  const xMax = Math.max(...xs, 1);
  // Room on the right for the labels that sit right of the last points.
  const plot = { left: left + 56, top: top + 34, width: width - 96, height: height - 84 };
  const sx = (x: number) => plot.left + (x / xMax) * plot.width;
  const sy = (y: number) => plot.top + plot.height - (y / yMax) * plot.height;
  const parts: string[] = [];
  parts.push(`<text x="${left + width / 2}" y="${top + 18}" class="title">${escape(spec.title)}</text>`);
  for (let y = 0; y <= yMax + step / 2; y += step) {
    parts.push(`<line x1="${plot.left}" x2="${plot.left + plot.width}" y1="${sy(y)}" y2="${sy(y)}" class="grid"/>`);
    parts.push(`<text x="${plot.left - 6}" y="${sy(y) + 4}" class="tick" text-anchor="end">${formatNumber(Number(y.toPrecision(6)))}</text>`);
  }
  for (const x of xs) {
    parts.push(`<line x1="${sx(x)}" x2="${sx(x)}" y1="${plot.top + plot.height}" y2="${plot.top + plot.height + 4}" class="axis"/>`);
    parts.push(`<text x="${sx(x)}" y="${plot.top + plot.height + 17}" class="tick" text-anchor="middle">${formatNumber(x)}</text>`);
  }
  parts.push(`<line x1="${plot.left}" x2="${plot.left + plot.width}" y1="${plot.top + plot.height}" y2="${plot.top + plot.height}" class="axis"/>`);
  parts.push(`<line x1="${plot.left}" x2="${plot.left}" y1="${plot.top}" y2="${plot.top + plot.height}" class="axis"/>`);
  parts.push(`<text x="${plot.left + plot.width / 2}" y="${top + height - 14}" class="label" text-anchor="middle">phones connected (N)</text>`);
  parts.push(
    `<text x="${left + 14}" y="${plot.top + plot.height / 2}" class="label" text-anchor="middle" transform="rotate(-90 ${left + 14} ${plot.top + plot.height / 2})">${escape(spec.unit)}</text>`,
  );
  if (spec.target) {
    const y = sy(spec.target.y);
    parts.push(`<line x1="${plot.left}" x2="${plot.left + plot.width}" y1="${y}" y2="${y}" class="target"/>`);
    parts.push(`<text x="${plot.left + 6}" y="${y - 5}" class="target-label">${escape(spec.target.label)}</text>`);
  }
  spec.series.forEach((series, seriesIndex) => {
    const points = series.points.filter((point) => Number.isFinite(point.y)).sort((a, b) => a.x - b.x);
    if (points.length === 0) return;
    const path = points.map((point, index) => `${index ? 'L' : 'M'}${sx(point.x).toFixed(1)},${sy(point.y).toFixed(1)}`).join(' ');
    parts.push(`<path d="${path}" fill="none" stroke="${series.color}" stroke-width="2.5"${series.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    for (const point of points) {
      parts.push(`<circle cx="${sx(point.x).toFixed(1)}" cy="${sy(point.y).toFixed(1)}" r="4" fill="${series.color}"/>`);
      // Each series labels its points on its own side (above left, below left, below right), so that close values stay readable.
      const place = LABEL_PLACES[seriesIndex % LABEL_PLACES.length]!;
      parts.push(
        `<text x="${(sx(point.x) + place.dx).toFixed(1)}" y="${(sy(point.y) + place.dy).toFixed(1)}" class="value" fill="${series.color}" text-anchor="${place.anchor}">${formatNumber(Number(point.y.toPrecision(3)))}</text>`,
      );
    }
  });
  return parts.join('\n  ');
}

/** Horizontal room per legend entry: three fit under two panels. */
const LEGEND_STEP = 250;

export function drawChart(panels: Panel[], caption: string): string {
  const panelWidth = 400;
  const height = 330;
  const width = panelWidth * panels.length;
  const legend = panels[0]?.series ?? [];
  const legendItems = legend
    .map(
      (series, index) =>
        `<line x1="${20 + index * LEGEND_STEP}" x2="${48 + index * LEGEND_STEP}" y1="${height + 12}" y2="${height + 12}" stroke="${series.color}" stroke-width="2.5"${series.dashed ? ' stroke-dasharray="6 4"' : ''}/><text x="${54 + index * LEGEND_STEP}" y="${height + 16}" class="label">${escape(series.label)}</text>`,
    )
    .join('\n  ');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height + 48}" viewBox="0 0 ${width} ${height + 48}" font-family="system-ui, sans-serif">
  <style>
    .title { font-size: 15px; font-weight: 600; text-anchor: middle; fill: #212529; }
    .tick { font-size: 11px; fill: #495057; }
    .label { font-size: 12px; fill: #343a40; }
    .value { font-size: 11px; font-weight: 600; }
    .grid { stroke: #e9ecef; }
    .axis { stroke: #868e96; }
    .target { stroke: #e8590c; stroke-dasharray: 2 3; }
    .target-label { font-size: 11px; fill: #e8590c; }
    .caption { font-size: 11px; fill: #868e96; }
  </style>
  <rect width="100%" height="100%" fill="#ffffff"/>
  ${panels.map((spec, index) => panel(spec, index * panelWidth, 0, panelWidth, height)).join('\n  ')}
  ${legendItems}
  <text x="${width - 12}" y="${height + 38}" class="caption" text-anchor="end">${escape(caption)}</text>
</svg>
`;
}
