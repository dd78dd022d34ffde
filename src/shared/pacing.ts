/**
 * Pacing arithmetic for the speaker console: how much of the talk's time
 * each slide gets, where the presenter should be, and how far ahead or
 * behind they are.
 *
 * Pure: the clock is always passed in (`now`, `elapsedMs`), so the same
 * numbers come out in the console, in tests and after a reload.
 */
import type { SlideNotes, TimerState } from './protocol';

/** The console turns amber with this much presentation time left. */
export const WARNING_MS = 60_000;

/** Where the console's timer stands: presenting, the last minute, past time, or questions. */
export type TalkPhase = 'talk' | 'warning' | 'overtime' | 'qa';

export const initialTimer: TimerState = { startedAt: null, accumulatedMs: 0, running: false };

/** One slide's share of the talk, in deck order (h, then v). */
export interface SlideBudget {
  h: number;
  v: number;
  /** When the presenter should reach this slide, from the start of the talk. */
  startMs: number;
  budgetMs: number;
}

export interface PacePlan {
  durationMs: number;
  slides: SlideBudget[];
}

export interface PaceStatus {
  /** 0-based position of the current slide in deck order; -1 when the deck has no such slide. */
  index: number;
  count: number;
  budgetMs: number;
  expectedStartMs: number;
  expectedEndMs: number;
  elapsedMs: number;
  /** Presentation time left; negative past time. */
  remainingMs: number;
  /** Positive: ahead of the plan; negative: behind; 0 while inside the slide's window. */
  aheadSeconds: number;
  phase: TalkPhase;
}

/** Milliseconds on the timer: what was banked before the last start, plus the running stretch. */
export function timerElapsedMs(timer: TimerState, now: number): number {
  const running = timer.running && timer.startedAt !== null ? Math.max(0, now - timer.startedAt) : 0;
  return Math.max(0, timer.accumulatedMs + running);
}

/**
 * A weight that cannot be used (NaN, infinite, negative) counts as the
 * default 1 rather than breaking the whole plan; 0 is allowed (a slide
 * that should be skipped through).
 */
function usableWeight(weight: number): number {
  return Number.isFinite(weight) && weight >= 0 ? weight : 1;
}

/** Splits the talk's duration over the slides, in proportion to their `pace` weights. */
export function planPace(durationMs: number, notes: ReadonlyArray<ReadonlyArray<Pick<SlideNotes, 'pace'>>>): PacePlan {
  const flat = notes.flatMap((stack, h) => stack.map((slide, v) => ({ h, v, weight: usableWeight(slide.pace) })));
  const total = flat.reduce((sum, slide) => sum + slide.weight, 0);
  // All weights 0: an even split is the only plan that still says something.
  const share = (weight: number) => (total > 0 ? (durationMs * weight) / total : durationMs / flat.length);
  let startMs = 0;
  const slides = flat.map(({ h, v, weight }) => {
    const budgetMs = share(weight);
    const budget = { h, v, startMs, budgetMs };
    startMs += budgetMs;
    return budget;
  });
  return { durationMs, slides };
}

export function slideIndexOf(plan: PacePlan, position: { h: number; v: number }): number {
  return plan.slides.findIndex((slide) => slide.h === position.h && slide.v === position.v);
}

/**
 * Seconds ahead (positive) or behind (negative) the plan. Inside the
 * current slide's window [start, end] the presenter is on pace; before it
 * they got here early, after it they have lingered.
 */
export function aheadSeconds(expectedStartMs: number, expectedEndMs: number, elapsedMs: number): number {
  if (elapsedMs < expectedStartMs) return Math.round((expectedStartMs - elapsedMs) / 1000);
  if (elapsedMs > expectedEndMs) return -Math.round((elapsedMs - expectedEndMs) / 1000);
  return 0;
}

/**
 * Past time the talk is over: on the last slide that means questions,
 * anywhere else the presenter is running over. Reaching the last slide
 * early also opens the questions.
 */
export function talkPhase(elapsedMs: number, durationMs: number, onLastSlide: boolean): TalkPhase {
  if (onLastSlide && elapsedMs > 0) return 'qa';
  if (elapsedMs >= durationMs) return 'overtime';
  if (durationMs - elapsedMs <= WARNING_MS) return 'warning';
  return 'talk';
}

export function paceStatus(plan: PacePlan, position: { h: number; v: number }, elapsedMs: number): PaceStatus {
  const index = slideIndexOf(plan, position);
  const slide = plan.slides[index];
  const count = plan.slides.length;
  const expectedStartMs = slide?.startMs ?? 0;
  const budgetMs = slide?.budgetMs ?? 0;
  const expectedEndMs = expectedStartMs + budgetMs;
  return {
    index,
    count,
    budgetMs,
    expectedStartMs,
    expectedEndMs,
    elapsedMs,
    remainingMs: plan.durationMs - elapsedMs,
    aheadSeconds: slide ? aheadSeconds(expectedStartMs, expectedEndMs, elapsedMs) : 0,
    phase: talkPhase(elapsedMs, plan.durationMs, count > 0 && index === count - 1),
  };
}

/** `m:ss`, with a leading minus past zero; rounds towards the next whole second so a countdown reads 0:00 only at zero. */
export function formatClock(ms: number, roundUp = false): string {
  const negative = ms < 0;
  const abs = Math.abs(ms);
  const seconds = roundUp && !negative ? Math.ceil(abs / 1000) : Math.floor(abs / 1000);
  const text = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
  return negative && seconds > 0 ? `−${text}` : text;
}

/**
 * How fast a presenter reads their notes aloud: 130 words a minute is an
 * unhurried conference pace (conversation runs near 150, and a talk to a room
 * that follows on its phones goes slower).
 */
export const SPEAKING_WORDS_PER_MINUTE = 130;

/** What a slide where the room answers (a poll, a word cloud, a race) adds while phones vote. */
export const ROOM_ANSWER_MS = 15_000;

/** Words in speaker notes, in any language: Intl.Segmenter finds Japanese words as well as spaced ones. */
export function countWords(text: string, locale = 'en'): number {
  let count = 0;
  for (const segment of new Intl.Segmenter(locale, { granularity: 'word' }).segment(text)) if (segment.isWordLike) count++;
  return count;
}

/**
 * How long a talk takes to give: its notes read aloud at `wordsPerMinute`,
 * plus `roomAnswerMs` for every slide where the room answers. The console
 * plans from the talk's `duration`; this says whether the notes fit it.
 */
export function speakingTimeMs(
  slides: ReadonlyArray<{ notesText: string; roomAnswers: boolean }>,
  { wordsPerMinute = SPEAKING_WORDS_PER_MINUTE, roomAnswerMs = ROOM_ANSWER_MS } = {},
): number {
  const words = slides.reduce((sum, slide) => sum + countWords(slide.notesText), 0);
  const answering = slides.filter((slide) => slide.roomAnswers).length;
  return (words / wordsPerMinute) * 60_000 + answering * roomAnswerMs;
}
