import { describe, expect, it } from 'vitest';
import { compareSlidePositions, initialTalkState, reduceTalk } from './talk-state';

describe('reduceTalk', () => {
  it('moves the slide and increases seq by one per change', () => {
    const first = reduceTalk(initialTalkState, { type: 'slide:set', position: { h: 1, v: 0, f: -1 } });
    const second = reduceTalk(first, { type: 'slide:set', position: { h: 1, v: 0, f: 0 } });
    expect(first.slide).toEqual({ h: 1, v: 0, f: -1, seq: 1 });
    expect(second.slide).toEqual({ h: 1, v: 0, f: 0, seq: 2 });
  });

  it('returns the same state object for a move to where the deck already is', () => {
    const state = reduceTalk(initialTalkState, { type: 'slide:set', position: { h: 2, v: 1, f: -1 } });
    expect(reduceTalk(state, { type: 'slide:set', position: { h: 2, v: 1, f: -1 } })).toBe(state);
  });

  it('does not mutate its input', () => {
    const frozen = Object.freeze({ ...initialTalkState, slide: Object.freeze({ ...initialTalkState.slide }) });
    const next = reduceTalk(frozen, { type: 'slide:set', position: { h: 3, v: 0, f: -1 } });
    expect(frozen.slide.h).toBe(0);
    expect(next.slide.h).toBe(3);
  });

  it('locks and unlocks the chat, and treats a repeat as no change', () => {
    const locked = reduceTalk(initialTalkState, { type: 'chat:lock', locked: true });
    expect(locked.chatLocked).toBe(true);
    expect(reduceTalk(locked, { type: 'chat:lock', locked: true })).toBe(locked);
    expect(reduceTalk(locked, { type: 'chat:lock', locked: false }).chatLocked).toBe(false);
  });

  it('sets and clears the spotlight without touching the slide seq', () => {
    const lit = reduceTalk(initialTalkState, { type: 'question:spotlight', id: 7 });
    expect(lit.spotlight).toBe(7);
    expect(lit.slide.seq).toBe(0);
    expect(reduceTalk(lit, { type: 'question:spotlight', id: null }).spotlight).toBeNull();
  });
});

describe('compareSlidePositions', () => {
  it('orders by h, then v, then fragment', () => {
    expect(compareSlidePositions({ h: 1, v: 5, f: 3 }, { h: 2, v: 0, f: -1 })).toBeLessThan(0);
    expect(compareSlidePositions({ h: 2, v: 1, f: -1 }, { h: 2, v: 0, f: 4 })).toBeGreaterThan(0);
    expect(compareSlidePositions({ h: 2, v: 0, f: 1 }, { h: 2, v: 0, f: 0 })).toBeGreaterThan(0);
    expect(compareSlidePositions({ h: 2, v: 0, f: 0 }, { h: 2, v: 0, f: 0 })).toBe(0);
  });
});

describe('reduceTalk: the console controls', () => {
  it('starts, pauses and resumes the timer with the clock value carried by the action', () => {
    const started = reduceTalk(initialTalkState, { type: 'timer:start', now: 1_000 });
    expect(started.timer).toEqual({ startedAt: 1_000, accumulatedMs: 0, running: true });
    expect(reduceTalk(started, { type: 'timer:start', now: 5_000 })).toBe(started);
    const paused = reduceTalk(started, { type: 'timer:pause', now: 4_000 });
    expect(paused.timer).toEqual({ startedAt: null, accumulatedMs: 3_000, running: false });
    expect(reduceTalk(paused, { type: 'timer:pause', now: 9_000 })).toBe(paused);
    expect(reduceTalk(paused, { type: 'timer:start', now: 10_000 }).timer).toEqual({ startedAt: 10_000, accumulatedMs: 3_000, running: true });
  });

  it('resets the timer to zero and stopped; a reset of a fresh timer is no change', () => {
    const running = reduceTalk(initialTalkState, { type: 'timer:start', now: 1_000 });
    expect(reduceTalk(running, { type: 'timer:reset' }).timer).toEqual(initialTalkState.timer);
    expect(reduceTalk(initialTalkState, { type: 'timer:reset' })).toBe(initialTalkState);
  });

  it('blanks the screen and pauses the phones without touching the slide seq', () => {
    const blank = reduceTalk(initialTalkState, { type: 'screen:blank', blank: true });
    expect(blank.blank).toBe(true);
    expect(reduceTalk(blank, { type: 'screen:blank', blank: true })).toBe(blank);
    const paused = reduceTalk(blank, { type: 'follow:pause', paused: { message: 'Back in a moment' } });
    expect(paused.paused).toEqual({ message: 'Back in a moment' });
    expect(paused.slide.seq).toBe(0);
    expect(reduceTalk(paused, { type: 'follow:pause', paused: { message: 'Back in a moment' } })).toBe(paused);
    expect(reduceTalk(paused, { type: 'follow:pause', paused: null }).paused).toBeNull();
    // Without a message (each screen says its own default) it is still a pause, and resumes.
    const quiet = reduceTalk(initialTalkState, { type: 'follow:pause', paused: {} });
    expect(quiet.paused).toEqual({});
    expect(reduceTalk(quiet, { type: 'follow:pause', paused: {} })).toBe(quiet);
    expect(reduceTalk(quiet, { type: 'follow:pause', paused: null }).paused).toBeNull();
  });
});

describe('who drives', () => {
  const alice = { seat: 'alice', name: 'Alice' };
  const bob = { seat: 'bob', name: 'Bob' };
  const driving = reduceTalk(initialTalkState, { type: 'drive:present', seat: alice });

  it('gives the slides to the first presenter screen, and refuses another seat’s moves', () => {
    expect(driving.driver).toEqual({ ...alice, goneSince: null });
    const refused = reduceTalk(driving, { type: 'slide:set', position: { h: 1, v: 0, f: -1 }, seat: bob });
    expect(refused).toBe(driving);
    expect(reduceTalk(driving, { type: 'slide:set', position: { h: 1, v: 0, f: -1 }, seat: alice }).slide.h).toBe(1);
  });

  it('queues an ask, hands over to the asker only, and lets a gone driver be taken over after the delay', () => {
    const asked = reduceTalk(driving, { type: 'drive:ask', seat: bob, now: 0, takeOverMs: 30_000 });
    expect(asked.asking).toEqual(bob);
    expect(reduceTalk(asked, { type: 'drive:handover', from: 'bob', to: 'bob' })).toBe(asked);
    expect(reduceTalk(asked, { type: 'drive:handover', from: 'alice', to: 'bob' })).toMatchObject({ driver: { seat: 'bob' }, asking: null });
    const gone = reduceTalk(driving, { type: 'drive:gone', seat: 'alice', now: 1000 });
    expect(reduceTalk(gone, { type: 'drive:ask', seat: bob, now: 30_999, takeOverMs: 30_000 }).driver?.seat).toBe('alice');
    expect(reduceTalk(gone, { type: 'drive:ask', seat: bob, now: 31_000, takeOverMs: 30_000 }).driver).toEqual({ ...bob, goneSince: null });
    expect(reduceTalk(gone, { type: 'drive:present', seat: alice }).driver?.goneSince).toBeNull();
  });
});
