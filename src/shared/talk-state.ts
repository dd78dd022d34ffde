/**
 * The presenter-controlled state of a talk, as a pure reducer.
 *
 * No I/O, no clock, no randomness: the server applies actions here, persists
 * the result, then broadcasts it. The same module lets tests reason about the
 * rules (seq increases by one per real change, no-op moves are not changes)
 * without a socket in sight.
 */
import type { FollowPause, SlidePosition, SlideState, TimerState } from './protocol.js';

export interface TalkState {
  slide: SlideState;
  chatLocked: boolean;
  spotlight: number | null;
  timer: TimerState;
  /** The projector shows black. */
  blank: boolean;
  /** Phones stop following and show the message. */
  paused: FollowPause | null;
}

export type TalkAction =
  | { type: 'slide:set'; position: SlidePosition }
  | { type: 'chat:lock'; locked: boolean }
  | { type: 'question:spotlight'; id: number | null }
  // The clock value travels in the action so the reducer stays pure and replayable.
  | { type: 'timer:start'; now: number }
  | { type: 'timer:pause'; now: number }
  | { type: 'timer:reset' }
  | { type: 'screen:blank'; blank: boolean }
  | { type: 'follow:pause'; paused: FollowPause | null };

export const initialTalkState: TalkState = {
  slide: { h: 0, v: 0, f: -1, seq: 0 },
  chatLocked: false,
  spotlight: null,
  timer: { startedAt: null, accumulatedMs: 0, running: false },
  blank: false,
  paused: null,
};

/** Reveal reports "no fragment" as -1 or undefined; 0 means the first fragment shown. */
export function sameSlidePosition(a: SlidePosition, b: SlidePosition): boolean {
  return a.h === b.h && a.v === b.v && a.f === b.f;
}

export function reduceTalk(state: TalkState, action: TalkAction): TalkState {
  switch (action.type) {
    case 'slide:set': {
      if (sameSlidePosition(state.slide, action.position)) return state;
      const { h, v, f } = action.position;
      return { ...state, slide: { h, v, f, seq: state.slide.seq + 1 } };
    }
    case 'chat:lock':
      return state.chatLocked === action.locked ? state : { ...state, chatLocked: action.locked };
    case 'question:spotlight':
      return state.spotlight === action.id ? state : { ...state, spotlight: action.id };
    case 'timer:start':
      if (state.timer.running) return state;
      return { ...state, timer: { startedAt: action.now, accumulatedMs: state.timer.accumulatedMs, running: true } };
    case 'timer:pause': {
      if (!state.timer.running) return state;
      const ran = state.timer.startedAt === null ? 0 : Math.max(0, action.now - state.timer.startedAt);
      return { ...state, timer: { startedAt: null, accumulatedMs: state.timer.accumulatedMs + ran, running: false } };
    }
    case 'timer:reset':
      if (!state.timer.running && state.timer.accumulatedMs === 0) return state;
      return { ...state, timer: initialTalkState.timer };
    case 'screen:blank':
      return state.blank === action.blank ? state : { ...state, blank: action.blank };
    case 'follow:pause':
      if (state.paused?.message === action.paused?.message) return state;
      return { ...state, paused: action.paused };
  }
}

/**
 * Order of positions in the deck: h, then v, then fragment. Lets a phone tell
 * whether the viewer is behind the presenter (allowed) or ahead (a spoiler).
 */
export function compareSlidePositions(a: SlidePosition, b: SlidePosition): number {
  return a.h - b.h || a.v - b.v || a.f - b.f;
}
