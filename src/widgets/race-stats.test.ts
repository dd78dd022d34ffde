import { describe, expect, it } from 'vitest';
import { formatBytes, formatDelay, median, PaneStats } from './race-stats';

describe('PaneStats', () => {
  it('counts each message once, with its delay; median and worst follow', () => {
    const stats = new PaneStats();
    expect([stats.messages, stats.median, stats.worst]).toEqual([0, null, null]);
    expect(stats.shown({ id: 1, ts: 0, name: 'a' }, 40)).toBe(true);
    expect(stats.shown({ id: 1, ts: 0, name: 'a' }, 99)).toBe(false);
    stats.shown({ id: 2, ts: 0, name: 'b' }, 10);
    stats.shown({ id: 3, ts: 0, name: 'c' }, 500);
    expect([stats.messages, stats.median, stats.worst]).toEqual([3, 40, 500]);
    expect(stats.recent.map((shown) => shown.message.id)).toEqual([3, 2, 1]);
  });

  it('takes the middle of an even count as the mean of the two middles', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('formats bytes and delays for a projector', () => {
    expect([formatBytes(0), formatBytes(999), formatBytes(1500), formatBytes(43_210), formatBytes(2_500_000)]).toEqual([
      '0 B',
      '999 B',
      '1.5 kB',
      '43 kB',
      '2.5 MB',
    ]);
    expect([formatDelay(null), formatDelay(0.42), formatDelay(86.4), formatDelay(1180)]).toEqual(['–', '0.4 ms', '86 ms', '1.18 s']);
  });
});
