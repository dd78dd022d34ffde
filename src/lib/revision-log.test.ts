/** The order of a snapshot and the events around it, by revision. */
import { describe, expect, it } from 'vitest';
import { RevisionLog } from './revision-log';

describe('RevisionLog', () => {
  it('applies again, over a snapshot, the events heard with a later revision, in revision order', () => {
    const log = new RevisionLog();
    const applied: string[] = [];
    log.event(20, () => applied.push('e20'));
    log.event(12, () => applied.push('e12'));
    log.event(8, () => applied.push('e8'));
    expect(log.snapshot(10, 1, () => applied.push('s10'))).toBe(true);
    expect(applied).toEqual(['e20', 'e12', 'e8', 's10', 'e12', 'e20']);
  });

  it('tells an event applied again over a snapshot from one applied as it arrives', () => {
    const log = new RevisionLog();
    const applied: string[] = [];
    log.event(12, (again) => applied.push(again ? 'e12 again' : 'e12'));
    log.event(undefined, (again) => applied.push(again ? 'plain again' : 'plain'));
    log.snapshot(10, 1, () => applied.push('s10'));
    expect(applied).toEqual(['e12', 'plain', 's10', 'e12 again']);
  });

  it('skips an event the snapshot already holds, and drops a snapshot older than the one applied', () => {
    const log = new RevisionLog();
    const applied: string[] = [];
    log.snapshot(10, 1, () => applied.push('s10'));
    log.event(9, () => applied.push('e9'));
    log.event(11, () => applied.push('e11'));
    expect(log.snapshot(7, 1, () => applied.push('s7'))).toBe(false);
    expect(applied).toEqual(['s10', 'e11']);
  });

  it('takes a new session’s snapshot whatever its revision, and applies events without one as they come', () => {
    const log = new RevisionLog();
    const applied: string[] = [];
    log.snapshot(10, 1, () => applied.push('s10'));
    log.event(undefined, () => applied.push('plain'));
    log.event(12, () => applied.push('e12'));
    expect(log.snapshot(5, 2, () => applied.push('s5'))).toBe(true);
    // From an older server: nothing to order it by, so it is the whole truth.
    expect(log.snapshot(undefined, 2, () => applied.push('old server'))).toBe(true);
    expect(applied).toEqual(['s10', 'plain', 'e12', 's5', 'e12', 'old server']);
  });

  it('applies an event its receiver weighs itself (a deletion) even when the snapshot applied is newer, and again over a later one', () => {
    const log = new RevisionLog();
    const applied: string[] = [];
    log.snapshot(10, 1, () => applied.push('s10'));
    log.always(9, () => applied.push('d9'));
    log.always(12, () => applied.push('d12'));
    log.snapshot(11, 1, () => applied.push('s11'));
    expect(applied).toEqual(['s10', 'd9', 'd12', 's11', 'd12']);
  });
});
