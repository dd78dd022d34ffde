/**
 * What the benchmark's processes say to each other over Node's IPC channel
 * (structured clone: typed arrays travel as they are). Every request carries
 * an id and gets one reply with the same id.
 */
import type { ClientKind } from './wire-client.js';

/** livedeck in one process, the raw `ws` reference, or livedeck as `--workers 2` sharing one Redis. */
export type Target = 'livedeck' | 'reference' | 'workers';

/** Every target but the reference is livedeck (same deck, same audience-count batching). */
export const isLivedeck = (target: Target): boolean => target !== 'reference';

// ---------------------------------------------------------------- server child (bench/serve.ts)

export interface ServerReady {
  op: 'ready';
  port: number;
  /** Presenter token of this run only (random), never printed. */
  token: string;
  /** Workers: the primary's pid, then each worker's (for their CPU time). */
  pids?: number[];
}

export interface ChatBurstSpec {
  durationMs: number;
  /** Messages in flight at once: 1 means each message is committed on its own. */
  concurrency: number;
  persist: boolean;
  broadcast: boolean;
}

export interface ChatBurstResult {
  sent: number;
  startAt: number;
  endAt: number;
}

export type ServerRequest =
  | { id: number; op: 'memory' }
  | { id: number; op: 'chat-burst'; spec: ChatBurstSpec }
  /** The server's monotonic clock in µs, the clock of its CPU profile's samples. */
  | { id: number; op: 'mark' }
  /** Workers: Socket.IO sessions per worker, as the sticky helper counts them. */
  | { id: number; op: 'spread' }
  /** The soak: event-loop delay since the last ask (then reset). */
  | { id: number; op: 'loop' }
  /** The soak: ids of every chat message and question the live session's store holds. */
  | { id: number; op: 'stored' }
  | { id: number; op: 'stop' };

export interface LoopDelay {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface StoredIds {
  chat: number[];
  questions: number[];
}

export interface MemoryReport {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

// ---------------------------------------------------------------- generator child (bench/generator.ts)

export interface GeneratorInit {
  url: string;
  /** This generator's share: global client indexes [offset, offset + count). */
  offset: number;
  count: number;
  kind: ClientKind;
  /** Handshakes in flight at once during the join storm. */
  concurrency: number;
  /** Only the first generator holds the presenter. */
  presenterToken?: string;
  maxSlides: number;
  /** Chat receive times kept per client (0: count only). */
  maxChat: number;
}

export interface JoinResult {
  startAt: number;
  endAt: number;
  /** connect → snapshot, ms, per client of this shard (NaN: failed). */
  latencies: Float64Array;
  failures: number;
  firstError?: string;
}

export interface ChatSend {
  /** Global client index of the chatter. */
  client: number;
  at: number;
  text: string;
}

export interface ChatSent {
  sentAt: number;
  id: number | null;
  error?: string;
}

export type GeneratorRequest =
  | { id: number; op: 'init'; init: GeneratorInit }
  | { id: number; op: 'join' }
  | { id: number; op: 'slide'; position: { h: number; v: number; f: number } }
  | { id: number; op: 'wait-slide'; index: number; timeoutMs: number }
  | { id: number; op: 'chat'; sends: ChatSend[] }
  | { id: number; op: 'wait-chat'; count: number; timeoutMs: number }
  /** Until every phone of the shard has last heard this audience count (livedeck announces it in batches). */
  | { id: number; op: 'wait-audience'; n: number; timeoutMs: number }
  | { id: number; op: 'close' };

export interface SlideSent {
  sentAt: number;
  ackAt: number;
  ok: boolean;
}

export interface SlideTimes {
  /** Receive time per client of this shard (NaN: not received before the timeout). */
  times: Float64Array;
}

export interface ChatTimes {
  /** Receive times, message-major: times[k * count + i] is client i's k-th message. */
  times: Float64Array;
  /** Ids in the order the first client of the shard received them. */
  order: number[];
  complete: boolean;
  /** When the last message reached the last client. */
  lastAt: number;
}

/** A bench server child answers the orchestrator's requests over the IPC channel, each with its id. */
export function answerRequests(answer: (request: ServerRequest) => Promise<unknown>): void {
  process.on('message', (request: ServerRequest) => {
    answer(request).then(
      (result) => process.send!({ id: request.id, ok: true, result }),
      (error: unknown) => process.send!({ id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) }),
    );
  });
}
