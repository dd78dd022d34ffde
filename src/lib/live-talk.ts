/**
 * Every page shows one talk of the series, and the server names the live
 * one in each snapshot (`talkId`), with whether its session has ended. A
 * page showing something else loads again: the server answers with what is
 * live now (the new talk at its current slide, or the handout of the talk
 * that ended), so each page has one way in and no state to migrate.
 */
import type { LiveClient } from './socket';

export interface ShownTalk {
  /** The talk this page shows; null when it shows none (no talk was live when it loaded). */
  talkId: string | null;
  /** Phones: whether the page shows the ended session's handout (true) or the live talk (false). Presenter screens leave it out. */
  ended?: boolean;
}

export function followLiveTalk(socket: LiveClient, shown: ShownTalk): void {
  socket.on('snapshot', (snapshot) => {
    const switched = snapshot.talkId !== shown.talkId;
    const stage = shown.ended !== undefined && snapshot.ended !== shown.ended;
    if (switched || stage) location.reload();
  });
}
