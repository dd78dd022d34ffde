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
