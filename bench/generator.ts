/**
 * One load-generator process: holds its share of the audience connections
 * (and, in the first generator, the presenter), and answers the orchestrator
 * (bench/run.ts) over IPC. It runs apart from the server so that the two do
 * not share an event loop, and reports only raw receive times: percentiles
 * are computed by the orchestrator over every generator's samples.
 *
 * Run as: node --import tsx bench/generator.ts (forked with an IPC channel).
 */
import type { ChatSend, ChatSent, ChatTimes, GeneratorInit, GeneratorRequest, JoinResult, SlideSent, SlideTimes } from './messages.js';
import type { RoomBatch } from '../src/shared/protocol.js';
import { now } from './stats.js';
import { connectWire, connectors, type BenchClient } from './wire-client.js';

interface Member {
  client: BenchClient | undefined;
  slidesSeen: number;
  chatSeen: number;
  /** The audience count this phone heard last (-1: none yet). */
  audience: number;
}

let init: GeneratorInit;
let members: Member[] = [];
/** Clients holding their snapshot; a failed join is not waited for. */
let joinedCount = 0;
let presenter: BenchClient | undefined;
let slideTimes: Float64Array[] = [];
const slideArrivals: number[] = [];
let chatTimes = new Float64Array(0);
/** chatArrivals[k]: clients that hold their k-th message; each client receives in order. */
const chatArrivals: number[] = [];
let chatLastAt = NaN;
const chatOrder: number[] = [];
let waiters: Array<() => boolean> = [];
/** How many phones last heard each audience count, so that "all heard n" is one lookup. */
const audienceHeard = new Map<number, number>();

function settleWaiters(): void {
  if (waiters.length) waiters = waiters.filter((done) => !done());
}

/** An event's payload: parsed from the raw frame (wire client) or as socket.io-client parsed it. */
function payloadOf<T>(frame: Buffer | undefined, payload: unknown): T {
  return frame ? (JSON.parse(frame.toString('utf8', 2)) as [string, T])[1] : (payload as T);
}

/** The batch frame last parsed: every phone of a big room gets the same one, so it is parsed once, not once per phone. */
let lastBatch: { text: string; batch: RoomBatch } | undefined;

function batchOf(frame: Buffer | undefined, payload: unknown): RoomBatch {
  if (!frame) return payload as RoomBatch;
  const text = frame.toString('utf8', 2);
  if (lastBatch?.text !== text) lastBatch = { text, batch: (JSON.parse(text) as [string, RoomBatch])[1] };
  return lastBatch.batch;
}

function onEvent(index: number, name: string, frame: Buffer | undefined, at: number, payload?: unknown): void {
  const member = members[index]!;
  if (name === 'room:batch') {
    // livedeck's phones hear chat and counts in batches (docs/protocol.md): each part counts as its event.
    const batch = batchOf(frame, payload);
    for (const message of batch.chat ?? []) onEvent(index, 'chat:message', undefined, at, message);
    if (batch.audience !== undefined) onEvent(index, 'audience:count', undefined, at, { n: batch.audience });
  } else if (name === 'slide:changed') {
    const k = member.slidesSeen++;
    const times = slideTimes[k];
    if (times) times[index] = at;
    slideArrivals[k] = (slideArrivals[k] ?? 0) + 1;
    if (slideArrivals[k] === joinedCount) settleWaiters();
  } else if (name === 'audience:count') {
    const { n } = payloadOf<{ n: number }>(frame, payload);
    audienceHeard.set(member.audience, (audienceHeard.get(member.audience) ?? 1) - 1);
    audienceHeard.set(n, (audienceHeard.get(n) ?? 0) + 1);
    member.audience = n;
    if (audienceHeard.get(n) === joinedCount) settleWaiters();
  } else if (name === 'chat:message') {
    const k = member.chatSeen++;
    if (k < init.maxChat) chatTimes[k * members.length + index] = at;
    // The last client of the shard reads ids, to map arrival order back to the sends. Not the first: that one
    // chats, and a chatter holds its own messages from their ack, maybe before earlier ones from others.
    if (index === members.length - 1 && k < init.maxChat) chatOrder.push(payloadOf<{ id: number }>(frame, payload).id);
    chatArrivals[k] = (chatArrivals[k] ?? 0) + 1;
    if (chatArrivals[k] === joinedCount) {
      chatLastAt = at;
      settleWaiters();
    }
  }
}

function waitFor(done: () => boolean, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (done()) return resolve(true);
    const timer = setTimeout(() => {
      waiters = waiters.filter((waiter) => waiter !== check);
      resolve(false);
    }, timeoutMs);
    const check = () => {
      if (!done()) return false;
      clearTimeout(timer);
      resolve(true);
      return true;
    };
    waiters.push(check);
  });
}

const audienceAuth = (index: number) => ({
  role: 'audience',
  // Distinct, valid clientIds: the server rate-limits per person.
  clientId: `bench-${String(init.offset + index).padStart(6, '0')}`,
});

async function join(): Promise<JoinResult> {
  const connect = connectors[init.kind];
  const latencies = new Float64Array(init.count).fill(NaN);
  let failures = 0;
  let firstError: string | undefined;
  let next = 0;
  const startAt = now();
  const lane = async () => {
    while (next < init.count) {
      const index = next++;
      const startedAt = now();
      try {
        const joined = await connect(init.url, audienceAuth(index), (name, frame, at, payload) => onEvent(index, name, frame, at, payload));
        members[index]!.client = joined.client;
        joinedCount++;
        latencies[index] = joined.snapshotAt - startedAt;
      } catch (error) {
        failures++;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(init.concurrency, init.count) }, lane));
  return { startAt, endAt: now(), latencies, failures, ...(firstError ? { firstError } : {}) };
}

function slide(position: { h: number; v: number; f: number }): Promise<SlideSent> {
  if (!presenter) throw new Error('this generator holds no presenter');
  const sentAt = now();
  return new Promise((resolve) => {
    presenter!.emit('slide:set', position, (reply, ackAt) => {
      resolve({ sentAt, ackAt, ok: (reply as { ok?: boolean }).ok === true });
    });
  });
}

async function waitSlide(index: number, timeoutMs: number): Promise<SlideTimes> {
  await waitFor(() => (slideArrivals[index] ?? 0) >= joinedCount, timeoutMs);
  return { times: slideTimes[index] ?? new Float64Array(0) };
}

function chat(sends: ChatSend[]): Promise<ChatSent[]> {
  return Promise.all(
    sends.map(
      (send) =>
        new Promise<ChatSent>((resolve) => {
          const client = members[send.client - init.offset]?.client;
          if (!client) return resolve({ sentAt: NaN, id: null, error: 'chatter not connected' });
          setTimeout(
            () => {
              const sentAt = now();
              client.emit('chat:send', { text: send.text }, (reply, ackAt) => {
                const ack = reply as { ok: boolean; message?: { id: number }; error?: { code: string } };
                // The broadcast skips the sender: its message reaches it in the ack.
                if (ack.ok) onEvent(send.client - init.offset, 'chat:message', undefined, ackAt, ack.message);
                resolve(ack.ok ? { sentAt, id: ack.message!.id } : { sentAt, id: null, error: ack.error?.code ?? 'refused' });
              });
            },
            Math.max(0, send.at - now()),
          );
        }),
    ),
  );
}

async function waitChat(count: number, timeoutMs: number): Promise<ChatTimes> {
  const complete = await waitFor(() => count === 0 || (chatArrivals[count - 1] ?? 0) >= joinedCount, timeoutMs);
  const kept = Math.min(count, init.maxChat);
  return {
    times: chatTimes.slice(0, kept * members.length),
    order: chatOrder.slice(0, kept),
    complete,
    lastAt: chatLastAt,
  };
}

async function start(request: GeneratorRequest): Promise<unknown> {
  switch (request.op) {
    case 'init': {
      init = request.init;
      members = Array.from({ length: init.count }, () => ({ client: undefined, slidesSeen: 0, chatSeen: 0, audience: -1 }));
      audienceHeard.set(-1, init.count);
      slideTimes = Array.from({ length: init.maxSlides }, () => new Float64Array(init.count).fill(NaN));
      chatTimes = new Float64Array(init.count * init.maxChat).fill(NaN);
      if (init.presenterToken) {
        // The presenter always speaks the wire protocol: its timing is the reference point.
        presenter = (await connectWire(init.url, { role: 'presenter', token: init.presenterToken }, () => undefined)).client;
      }
      return {};
    }
    case 'join':
      return join();
    case 'slide':
      return slide(request.position);
    case 'wait-slide':
      return waitSlide(request.index, request.timeoutMs);
    case 'chat':
      return chat(request.sends);
    case 'wait-chat':
      return waitChat(request.count, request.timeoutMs);
    case 'wait-audience':
      return waitFor(() => (audienceHeard.get(request.n) ?? 0) >= joinedCount, request.timeoutMs);
    case 'close': {
      for (const member of members) member.client?.close();
      presenter?.close();
      members = [];
      setTimeout(() => process.exit(0), 50);
      return {};
    }
  }
}

process.on('message', (request: GeneratorRequest) => {
  start(request).then(
    (result) => process.send!({ id: request.id, ok: true, result }),
    (error: unknown) => process.send!({ id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) }),
  );
});
// The orchestrator is gone (Ctrl-C, crash): nothing left to measure for.
process.on('disconnect', () => process.exit(0));
