import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { LiveServer } from './live-server.js';
import { PEER_AUDIENCE_TTL_MS, Peers } from './peers.js';

/** What Peers needs of the server: the other processes' events in, its own out (dropped here). */
function peersAt(clock: { now: number }, connected: { up: boolean }) {
  const io = Object.assign(new EventEmitter(), { serverSideEmit: () => true });
  const gone: number[] = [];
  const peers = new Peers(
    io as unknown as LiveServer,
    { controlChanged() {}, sessionChanged() {}, paceVote() {}, peerGone: (lastHeard) => gone.push(lastHeard) },
    () => clock.now,
    () => connected.up,
  );
  const report = (peer: string, n: number) => io.emit('peer:audience', { peer, n, presenters: 0 });
  return { peers, gone, report };
}

describe('Peers', () => {
  it('counts a process until it falls silent, and reports it gone once per silence', () => {
    const clock = { now: 0 };
    const { peers, gone, report } = peersAt(clock, { up: true });
    report('other', 5);
    clock.now = 1_000;
    report('other', 6);
    expect(peers.reportAudience(2, 0)).toBe(8);

    clock.now = 1_000 + PEER_AUDIENCE_TTL_MS + 1;
    expect(peers.reportAudience(2, 0)).toBe(2);
    expect(peers.totalAudience(2)).toBe(2);
    expect(gone).toEqual([1_000]);

    // Back (it was only cut off from Redis), then silent again: a second silence.
    report('other', 4);
    expect(peers.totalAudience(2)).toBe(6);
    clock.now += PEER_AUDIENCE_TTL_MS + 1;
    expect(peers.totalAudience(2)).toBe(2);
    expect(gone).toEqual([1_000, 1_000 + PEER_AUDIENCE_TTL_MS + 1]);
  });

  it('knows no process gone while it is cut off from Redis itself (it hears nobody then)', () => {
    const clock = { now: 0 };
    const connected = { up: true };
    const { peers, gone, report } = peersAt(clock, connected);
    report('other', 5);
    connected.up = false;
    clock.now = PEER_AUDIENCE_TTL_MS + 1;
    expect(peers.totalAudience(1)).toBe(1);
    expect(gone).toEqual([]);
  });
});
