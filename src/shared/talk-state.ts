/**
 * The presenter-controlled state of a talk, as a pure reducer.
 *
 * No I/O, no clock, no randomness: the server applies actions here, persists
 * the result, then broadcasts it. The same module lets tests reason about the
 * rules (seq increases by one per real change, no-op moves are not changes)
 * without a socket in sight.
 */
import type { DriveRequest, Driver, FollowPause, SlidePosition, SlideState, TimerState } from './protocol.js';

export interface TalkState {
  slide: SlideState;
  chatLocked: boolean;
  spotlight: number | null;
  timer: TimerState;
  /** The projector shows black. */
  blank: boolean;
  /** Phones stop following and show the message. */
  paused: FollowPause | null;
  /** The presenter seat whose moves every screen follows; null until a presenter screen connects. */
  driver: Driver | null;
  /** Another seat asking the driver to hand over. */
  asking: DriveRequest | null;
  /** New questions wait for the presenter's approval; null: as the talk's front matter says. */
  review: boolean | null;
}

export type TalkAction =
  /** With a seat, only the driver moves the slide (a seat claims a driverless talk by moving); without, the server itself moves it. */
  | { type: 'slide:set'; position: SlidePosition; seat?: DriveRequest }
  | { type: 'chat:lock'; locked: boolean }
  | { type: 'question:spotlight'; id: number | null }
  // The clock value travels in the action so the reducer stays pure and replayable.
  | { type: 'timer:start'; now: number }
  | { type: 'timer:pause'; now: number }
  | { type: 'timer:reset' }
  | { type: 'screen:blank'; blank: boolean }
  | { type: 'follow:pause'; paused: FollowPause | null }
  /** A seat asks to drive: granted at once when nobody drives or the driver has been gone `takeOverMs`, else it waits for a handover. */
  | { type: 'drive:ask'; seat: DriveRequest; now: number; takeOverMs: number }
  | { type: 'drive:handover'; from: string; to: string }
  | { type: 'drive:decline'; from: string; to: string }
  /** A screen of this seat is connected (the first presenter screen of a talk drives). */
  | { type: 'drive:present'; seat: DriveRequest }
  /** The last screen of this seat left. */
  | { type: 'drive:gone'; seat: string; now: number }
  | { type: 'moderation:review'; review: boolean };

export const initialTalkState: TalkState = {
  slide: { h: 0, v: 0, f: -1, seq: 0 },
  chatLocked: false,
  spotlight: null,
  timer: { startedAt: null, accumulatedMs: 0, running: false },
  blank: false,
  paused: null,
  driver: null,
  asking: null,
  review: null,
};

const driving = (seat: DriveRequest): Driver => ({ seat: seat.seat, name: seat.name, goneSince: null });

/** Reveal reports "no fragment" as -1 or undefined; 0 means the first fragment shown. */
export function sameSlidePosition(a: SlidePosition, b: SlidePosition): boolean {
  return a.h === b.h && a.v === b.v && a.f === b.f;
}

export function reduceTalk(state: TalkState, action: TalkAction): TalkState {
  switch (action.type) {
    case 'slide:set': {
      const { seat } = action;
      if (seat && state.driver && state.driver.seat !== seat.seat) return state;
      const claimed = seat && !state.driver ? { ...state, driver: driving(seat) } : state;
      if (sameSlidePosition(claimed.slide, action.position)) return claimed;
      const { h, v, f } = action.position;
      return { ...claimed, slide: { h, v, f, seq: claimed.slide.seq + 1 } };
    }
    case 'drive:ask': {
      const { driver } = state;
      if (driver?.seat === action.seat.seat) return state.asking?.seat === action.seat.seat ? { ...state, asking: null } : state;
      const vacant = !driver || (driver.goneSince !== null && action.now - driver.goneSince >= action.takeOverMs);
      if (vacant) return { ...state, driver: driving(action.seat), asking: null };
      if (state.asking?.seat === action.seat.seat && state.asking.name === action.seat.name) return state;
      return { ...state, asking: action.seat };
    }
    case 'drive:handover':
      if (state.driver?.seat !== action.from || state.asking?.seat !== action.to) return state;
      return { ...state, driver: driving(state.asking), asking: null };
    case 'drive:decline':
      if (state.driver?.seat !== action.from || state.asking?.seat !== action.to) return state;
      return { ...state, asking: null };
    case 'drive:present':
      if (!state.driver) return { ...state, driver: driving(action.seat) };
      if (state.driver.seat !== action.seat.seat || state.driver.goneSince === null) return state;
      return { ...state, driver: { ...state.driver, goneSince: null } };
    case 'drive:gone': {
      const driver = state.driver?.seat === action.seat && state.driver.goneSince === null ? { ...state.driver, goneSince: action.now } : state.driver;
      const asking = state.asking?.seat === action.seat ? null : state.asking;
      return driver === state.driver && asking === state.asking ? state : { ...state, driver, asking };
    }
    case 'moderation:review':
      return state.review === action.review ? state : { ...state, review: action.review };
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
      // A pause without a message (each screen's own default) is still a pause.
      if ((state.paused === null) === (action.paused === null) && state.paused?.message === action.paused?.message) return state;
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
