/**
 * Which questions a join carries, and the pages after them. A snapshot
 * must not grow with the session's history (2,000 questions made every join
 * 817 KB): a phone gets the top questions in the order it shows them, plus
 * its own and the spotlighted one; a presenter gets more, with the ones
 * waiting for approval first. The rest comes a page at a time on request
 * (`question:list`). Pure: tested through the server.
 */
import { QUESTIONS_IN_SNAPSHOT, QUESTIONS_IN_PRESENTER_SNAPSHOT, QUESTIONS_PAGE } from '../../src/shared/limits.js';
import type { Question, Role } from '../../src/shared/protocol.js';
import { compareQuestions } from '../../src/shared/room-view.js';

export interface Viewer {
  role: Role;
  authorId: string;
}

/** Every question this viewer may see, in the order the pages list them (hidden ones last, for presenters). */
export function visibleQuestions(questions: readonly Question[], viewer: Viewer): Question[] {
  const visible =
    viewer.role === 'presenter'
      ? [...questions]
      : questions.filter((question) => !question.hidden && (!question.pending || question.authorId === viewer.authorId));
  return visible.sort((a, b) => Number(a.hidden) - Number(b.hidden) || compareQuestions(a, b));
}

/** What a join carries: bounded whatever the history. `total` says how many the viewer could page through. */
export function joinQuestions(questions: readonly Question[], viewer: Viewer, spotlight: number | null): { questions: Question[]; total: number } {
  const visible = visibleQuestions(questions, viewer);
  const limit = viewer.role === 'presenter' ? QUESTIONS_IN_PRESENTER_SNAPSHOT : QUESTIONS_IN_SNAPSHOT;
  const chosen = new Map<number, Question>();
  const add = (question: Question) => chosen.set(question.id, question);
  // Presenters first see what waits for them, oldest first.
  if (viewer.role === 'presenter') {
    visible
      .filter((question) => question.pending)
      .sort((a, b) => a.id - b.id)
      .slice(0, limit)
      .forEach(add);
  }
  for (const question of visible) {
    if (chosen.size >= limit) break;
    add(question);
  }
  // The viewer's own questions (bounded by the per-person cap) and the spotlight are always there.
  for (const question of visible) if (question.authorId === viewer.authorId || question.id === spotlight) add(question);
  return { questions: [...chosen.values()], total: visible.length };
}

/** One page of the list, from `offset` in the pages' order. */
export function questionPage(questions: readonly Question[], viewer: Viewer, offset: number): { questions: Question[]; total: number } {
  const visible = visibleQuestions(questions, viewer);
  return { questions: visible.slice(offset, offset + QUESTIONS_PAGE), total: visible.length };
}
