/**
 * Checks every inbound event passes against the server's current state,
 * never against what was true at connect time: a socket restored by
 * connection state recovery skips the connect middleware, a presenter token
 * can rotate, a person can be banned mid-talk, and the server can be
 * shutting down.
 *
 * Also counts the events still running, so a shutdown can let them finish
 * (and their writes commit) before the database closes.
 */
import type { InboundSpec, SocketData, WireError } from '../../src/shared/protocol.js';
import { wireRefusal } from './wire-error.js';

/** No talk is live (the one chosen at start failed to load), a session is open, or it has ended (its handout shows). */
export type RoomStage = 'idle' | 'live' | 'ended';

export interface EventGuards {
  /** False once the token this presenter socket proved is no longer the current one. */
  presenterHolds(data: SocketData): boolean;
  isBanned(authorId: string): Promise<boolean>;
  /** Whether a talk is live and its session open (most events need that). */
  stage(): RoomStage;
  /** True while the server shuts down: new events are refused, running ones finish. */
  readonly stopping: boolean;
  readonly inFlight: InFlight;
}

/** Why an event does not apply in the room's current stage (the spec's `stage`), or undefined when it does. */
export function stageRefusal(spec: InboundSpec, stage: RoomStage): WireError | undefined {
  if (stage === 'live' || spec.stage === 'any') return undefined;
  if (stage === 'idle') return wireRefusal('no_live_talk', 'no talk is live right now');
  if (spec.stage === 'session') return undefined;
  return wireRefusal('talk_ended', 'the talk has ended');
}

/** The events being handled right now. */
export class InFlight {
  private readonly running = new Set<Promise<unknown>>();

  track(work: Promise<unknown>): void {
    const settled = work.finally(() => this.running.delete(settled));
    this.running.add(settled);
  }

  get size(): number {
    return this.running.size;
  }

  /** Resolves when every event running now (and any they started) has settled, or after `timeoutMs`. */
  async drain(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.running.size > 0) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled([...this.running]), new Promise((resolve) => (timer = setTimeout(resolve, left)))]);
      clearTimeout(timer);
    }
    return true;
  }
}
