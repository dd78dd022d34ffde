/**
 * What a control change adds to its session's timeline: a slide move, or a
 * timer start, pause or reset, stamped with the server's clock. Pure, so
 * storage may run it on every optimistic retry.
 */
import type { TalkAction, TalkState } from '../../src/shared/talk-state.js';
import type { TimelineEntry } from '../storage/storage.js';

export function timelineEntries(action: TalkAction, before: TalkState, after: TalkState, ts: number): TimelineEntry[] {
  if (action.type === 'slide:set' && after.slide !== before.slide) {
    const { h, v, f } = after.slide;
    return [{ ts, kind: 'slide', h, v, f }];
  }
  if (after.timer === before.timer) return [];
  if (action.type === 'timer:start') return [{ ts, kind: 'timer', action: 'start' }];
  if (action.type === 'timer:pause') return [{ ts, kind: 'timer', action: 'pause' }];
  if (action.type === 'timer:reset') return [{ ts, kind: 'timer', action: 'reset' }];
  return [];
}
