import { describe, expect, it } from 'vitest';
import { aheadSeconds, countWords, formatClock, paceStatus, planPace, slideIndexOf, speakingTimeMs, talkPhase, timerElapsedMs, WARNING_MS } from './pacing';

const notes = (weights: number[][]) => weights.map((stack) => stack.map((pace) => ({ pace })));

describe('planPace', () => {
  it('splits the duration in proportion to the weights, in deck order (h, then v)', () => {
    const plan = planPace(60_000, notes([[1], [2, 1], [2]]));
    expect(plan.slides.map(({ h, v }) => [h, v])).toEqual([
      [0, 0],
      [1, 0],
      [1, 1],
      [2, 0],
    ]);
    expect(plan.slides.map((slide) => slide.budgetMs)).toEqual([10_000, 20_000, 10_000, 20_000]);
    expect(plan.slides.map((slide) => slide.startMs)).toEqual([0, 10_000, 30_000, 40_000]);
  });

  it('gives equal shares with the default weight of 1', () => {
    const plan = planPace(420_000, notes([[1], [1], [1], [1]]));
    expect(plan.slides.every((slide) => slide.budgetMs === 105_000)).toBe(true);
  });

  it('lets a weight of 0 take no time, and falls back to an even split when every weight is 0', () => {
    expect(planPace(30_000, notes([[0], [1], [2]])).slides.map((slide) => slide.budgetMs)).toEqual([0, 10_000, 20_000]);
    expect(planPace(30_000, notes([[0], [0], [0]])).slides.map((slide) => slide.budgetMs)).toEqual([10_000, 10_000, 10_000]);
  });

  it('treats an unusable weight (negative, NaN) as 1', () => {
    expect(planPace(30_000, notes([[-2], [Number.NaN], [1]])).slides.map((slide) => slide.budgetMs)).toEqual([10_000, 10_000, 10_000]);
  });

  it('finds a slide by h/v, and -1 for one the deck does not have', () => {
    const plan = planPace(60_000, notes([[1], [1, 1]]));
    expect(slideIndexOf(plan, { h: 1, v: 1 })).toBe(2);
    expect(slideIndexOf(plan, { h: 5, v: 0 })).toBe(-1);
  });
});

describe('timerElapsedMs', () => {
  it('adds the running stretch to what was banked', () => {
    expect(timerElapsedMs({ startedAt: 1_000, accumulatedMs: 5_000, running: true }, 4_000)).toBe(8_000);
  });

  it('stands still while paused, whatever the clock says', () => {
    const paused = { startedAt: null, accumulatedMs: 5_000, running: false };
    expect(timerElapsedMs(paused, 1_000)).toBe(5_000);
    expect(timerElapsedMs(paused, 999_000)).toBe(5_000);
  });

  it('never goes below zero when a clock is behind the start', () => {
    expect(timerElapsedMs({ startedAt: 10_000, accumulatedMs: 0, running: true }, 9_000)).toBe(0);
  });
});

describe('ahead / behind', () => {
  it('is on pace (0) inside the current slide window', () => {
    expect(aheadSeconds(10_000, 30_000, 10_000)).toBe(0);
    expect(aheadSeconds(10_000, 30_000, 30_000)).toBe(0);
  });

  it('is ahead by the time until the slide was due', () => {
    expect(aheadSeconds(10_000, 30_000, 4_000)).toBe(6);
  });

  it('is behind by the time spent past the slide budget', () => {
    expect(aheadSeconds(10_000, 30_000, 42_400)).toBe(-12);
  });

  it('follows a presenter who lingers on one slide from on pace to behind', () => {
    const plan = planPace(6_000, notes([[1], [2], [3]]));
    expect(paceStatus(plan, { h: 0, v: 0 }, 500).aheadSeconds).toBe(0);
    expect(paceStatus(plan, { h: 0, v: 0 }, 3_000).aheadSeconds).toBe(-2);
    // Moving on catches up: slide 2's window is 1–3 s.
    expect(paceStatus(plan, { h: 1, v: 0 }, 3_000).aheadSeconds).toBe(0);
    expect(paceStatus(plan, { h: 2, v: 0 }, 1_000).aheadSeconds).toBe(2);
  });
});

describe('talkPhase', () => {
  const duration = 7 * 60_000;

  it('switches to warning with one minute left, then overtime at time', () => {
    expect(talkPhase(duration - WARNING_MS - 1, duration, false)).toBe('talk');
    expect(talkPhase(duration - WARNING_MS, duration, false)).toBe('warning');
    expect(talkPhase(duration - 1, duration, false)).toBe('warning');
    expect(talkPhase(duration, duration, false)).toBe('overtime');
  });

  it('is Q&A once the presenter is on the last slide with the clock started, early or late', () => {
    expect(talkPhase(duration + 5_000, duration, true)).toBe('qa');
    expect(talkPhase(duration - 90_000, duration, true)).toBe('qa');
    expect(talkPhase(0, duration, true)).toBe('talk');
  });

  it('reports remaining time and phase together in paceStatus', () => {
    const plan = planPace(6_000, notes([[1], [1], [1]]));
    expect(paceStatus(plan, { h: 1, v: 0 }, 2_000)).toMatchObject({ index: 1, count: 3, remainingMs: 4_000, phase: 'warning' });
    expect(paceStatus(plan, { h: 1, v: 0 }, 7_000)).toMatchObject({ remainingMs: -1_000, phase: 'overtime' });
    expect(paceStatus(plan, { h: 2, v: 0 }, 7_000).phase).toBe('qa');
  });
});

describe('formatClock', () => {
  it('shows m:ss, rounding a countdown up so 0:00 means time', () => {
    expect(formatClock(65_000)).toBe('1:05');
    expect(formatClock(400)).toBe('0:00');
    expect(formatClock(400, true)).toBe('0:01');
    expect(formatClock(-61_000)).toBe('−1:01');
    expect(formatClock(-400)).toBe('0:00');
  });
});

describe('speaking time', () => {
  it('counts words in spaced and Japanese text, not punctuation', () => {
    expect(countWords('Hi everyone, and welcome — to lancers|conf!')).toBe(7);
    expect(countWords('リアルタイムのウェブについて話します。', 'ja')).toBeGreaterThan(3);
    expect(countWords(' — … ')).toBe(0);
  });

  it('reads the notes at the given rate and adds the room’s time on slides that ask it', () => {
    const slides = [
      { notesText: 'word '.repeat(130), roomAnswers: false },
      { notesText: 'word '.repeat(65), roomAnswers: true },
    ];
    expect(speakingTimeMs(slides, { wordsPerMinute: 130, roomAnswerMs: 15_000 })).toBe(90_000 + 15_000);
  });
});
