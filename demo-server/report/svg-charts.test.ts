import { describe, expect, it } from 'vitest';
import { audienceChart } from './svg-charts.js';

const ticks = (svg: string) => [...svg.matchAll(/<text class="tick"[^>]*text-anchor="middle">([^<]*)<\/text>/g)].map((match) => match[1]);

describe('the audience chart’s time axis', () => {
  it('counts whole minutes over a talk', () => {
    expect(ticks(audienceChart('a', [{ atMs: 0, n: 3 }], 7 * 60_000, 3))).toEqual(['0 min', '1 min', '2 min', '3 min', '4 min', '5 min', '6 min', '7 min']);
  });

  it('reads m:ss over a session shorter than a few minutes, without float drift', () => {
    const labels = ticks(audienceChart('a', [{ atMs: 0, n: 2 }], 12_000, 2));
    expect(labels).toEqual(['0:00', '0:02', '0:04', '0:06', '0:08', '0:10', '0:12']);
  });
});
