/** The phone's live slide and pause against snapshots heard before or after the moves they race. */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { FollowPause, SlideState, Snapshot } from '../shared/protocol';
import { followLivePosition } from './live-position';
import type { LiveClient } from './socket';

const at = (h: number, seq: number): SlideState => ({ h, v: 0, f: -1, seq });
const snapshot = (rev: number, slide: SlideState, paused: FollowPause | null = null, sessionId = 1) =>
  ({ rev, sessionId, slide, paused }) as Partial<Snapshot> as Snapshot;

function follow() {
  const socket = new EventEmitter();
  const heard: string[] = [];
  followLivePosition(socket as unknown as LiveClient, {
    slide: (slide, fromSnapshot) => heard.push(`${fromSnapshot ? 'snapshot' : 'move'} ${slide.h}`),
    paused: (pause) => heard.push(pause ? `paused ${pause.message ?? ''}` : 'resumed'),
  });
  return { socket, heard };
}

describe('followLivePosition', () => {
  it('follows a move again over a snapshot read before it, and does not take it back', () => {
    const { socket, heard } = follow();
    socket.emit('snapshot', snapshot(100, at(1, 1)));
    socket.emit('slide:changed', { ...at(2, 2), rev: 150 });
    socket.emit('screen:changed', { blank: false, paused: { message: 'Break' }, rev: 160 });
    // A reconnection's snapshot, read before the move and the pause.
    socket.emit('snapshot', snapshot(140, at(1, 1)));
    expect(heard).toEqual(['resumed', 'snapshot 1', 'move 2', 'paused Break', 'resumed', 'snapshot 1', 'move 2', 'paused Break']);
  });

  it('drops an older snapshot, and hands on a move older than the snapshot for its seq to decide', () => {
    const { socket, heard } = follow();
    socket.emit('snapshot', snapshot(200, at(3, 3)));
    socket.emit('snapshot', snapshot(180, at(2, 2)));
    socket.emit('screen:changed', { blank: false, paused: { message: 'Old' }, rev: 150 });
    // Scaled out, a snapshot read before its process caught up with another's move holds the slide before it.
    socket.emit('slide:changed', { ...at(4, 4), rev: 190 });
    expect(heard).toEqual(['resumed', 'snapshot 3', 'move 4']);
  });
});
