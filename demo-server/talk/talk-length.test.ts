/**
 * The main talk must still be a seven-minute talk (the series gives each talk
 * 7 minutes, the rest is questions): its planned time is 7:00, and its notes,
 * read aloud at SPEAKING_WORDS_PER_MINUTE with time for the room to answer on
 * the slides that ask it, take 7:00 ± 0:30. Adding a slide or a paragraph of
 * notes without cutting elsewhere turns this red.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatClock, planPace, speakingTimeMs, SPEAKING_WORDS_PER_MINUTE } from '../../src/shared/pacing.js';
import { PROJECT_ROOT } from '../options.js';
import { loadTalkFile, parseTalk, talkNotes, type Talk } from './load-talk.js';
import { slideKey, talkWidgets } from './widgets.js';

const TARGET_MS = 7 * 60_000;
const TOLERANCE_MS = 30_000;

function notesText(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&[a-z]+;|&#\d+;/gi, ' ')
    .trim();
}

function speakingTime(talk: Talk): number {
  const { polls, raceSlides } = talkWidgets(talk);
  const answering = new Set([...raceSlides, ...[...polls.values()].map(({ slide }) => slideKey(slide.h, slide.v))]);
  return speakingTimeMs(
    talk.slides.flatMap((stack, h) => stack.map((slide, v) => ({ notesText: notesText(slide.notes.html), roomAnswers: answering.has(slideKey(h, v)) }))),
  );
}

/** Within 7:00 ± 0:30, with the time in the failure message. */
function expectSevenMinutes(ms: number): void {
  expect(`${formatClock(ms)} (${Math.abs(ms - TARGET_MS) <= TOLERANCE_MS ? 'within' : 'outside'} 7:00 ± 0:30)`).toBe(`${formatClock(ms)} (within 7:00 ± 0:30)`);
}

describe('the main talk reads in 7:00 ± 0:30', () => {
  const talk = loadTalkFile(path.join(PROJECT_ROOT, 'slides', 'nodejs-websockets.md'), PROJECT_ROOT);

  it('plans 7:00: its duration, split over every slide by the Pace weights', () => {
    const plan = planPace(talk.duration * 60_000, talkNotes(talk));
    const last = plan.slides.at(-1)!;
    expectSevenMinutes(last.startMs + last.budgetMs);
    expect(plan.slides).toHaveLength(talk.slides.flat().length);
  });

  it(`reads its notes aloud at ${SPEAKING_WORDS_PER_MINUTE} words a minute, with the room's answers, in 7:00 ± 0:30`, () => {
    expectSevenMinutes(speakingTime(talk));
  });

  it('fails a talk whose notes run long or short, and a talk planned for longer', () => {
    const source = [
      '---\ntitle: Long\nduration: 7\n---',
      ...Array.from({ length: 10 }, (_, index) => `## Slide ${index}\n\nNote:\nPace: 1\n${'word '.repeat(120)}`),
    ].join('\n\n---\n\n');
    const long = parseTalk(source, { id: 'long', projectRoot: PROJECT_ROOT });
    expect(() => expectSevenMinutes(speakingTime(long))).toThrow(/outside/);
    const short = parseTalk(source.replaceAll('word '.repeat(120), 'word '.repeat(40)), { id: 'short', projectRoot: PROJECT_ROOT });
    expect(() => expectSevenMinutes(speakingTime(short))).toThrow(/outside/);
    const planned = planPace(9 * 60_000, talkNotes(talk));
    expect(() => expectSevenMinutes(planned.durationMs)).toThrow(/outside/);
  });
});
