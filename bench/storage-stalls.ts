/**
 * Does the disk stall the room? (issue "The hostile room, round two", item 6)
 *
 * One livedeck in its own process (bench/serve.ts, a temp SQLite file). This
 * process measures, over real sockets:
 *   - the event loop's answer time: an event refused at its schema (no
 *     storage, no rate limit) sent every 10 ms, as any phone's event would wait;
 *   - `slide:set` acks, joins (connect → snapshot) and chat acks;
 * in three phases: idle, while the server persists chat as fast as it can
 * (the chat micro-benchmark's persist-only burst: group commits and their
 * fsyncs), and while another connection holds `BEGIN EXCLUSIVE` on the
 * database file. The persist rate of the burst is the write throughput.
 *
 * Run as part of `npm run bench`, or alone: `npm run bench -- --only storage`.
 */
import Database from 'better-sqlite3';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../src/shared/protocol.js';
import type { ChatBurstResult } from './messages.js';
import { startServer } from './scenario.js';
import { distribution, now, round, sleep, type Distribution } from './stats.js';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface StallPhase {
  name: string;
  label: string;
  /** Answer time of an event refused at its schema, in ms. */
  loop: Distribution;
  slide: Distribution;
  /** slide:set acks that were not ok (or never came). */
  slideFailed: number;
  join: Distribution;
  joinFailed: number;
  chat: Distribution;
  chatFailed: number;
  /** Persist-only chat burst during the phase: messages committed per second (NaN when none ran). */
  persistRate: number;
}

export interface StorageStalls {
  phaseMs: number;
  phases: StallPhase[];
}

const PROBE_EVERY_MS = 10;
const SLIDE_EVERY_MS = 100;
const JOIN_EVERY_MS = 250;
const CHAT_EVERY_MS = 250;
const ACK_TIMEOUT_MS = 10_000;

function connect(url: string, auth: Record<string, unknown>): Promise<{ socket: Client; ms: number }> {
  const started = now();
  const socket: Client = io(url, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error('no snapshot'));
    }, ACK_TIMEOUT_MS);
    socket.once('snapshot', () => {
      clearTimeout(timer);
      resolve({ socket, ms: now() - started });
    });
    socket.once('connect_error', (error) => {
      clearTimeout(timer);
      socket.close();
      reject(error);
    });
  });
}

/** Sends `send` every `everyMs` until `until`, recording each answer's time and whether it was ok. */
async function every(everyMs: number, until: number, send: () => Promise<boolean>): Promise<{ times: number[]; failed: number }> {
  const times: number[] = [];
  let failed = 0;
  const running: Array<Promise<void>> = [];
  while (now() < until) {
    const started = now();
    running.push(
      send().then(
        (ok) => {
          times.push(now() - started);
          if (!ok) failed++;
        },
        () => void failed++,
      ),
    );
    await sleep(everyMs);
  }
  await Promise.all(running);
  return { times, failed };
}

export async function runStorageStalls(options: { phaseMs: number; token?: string; log: (line: string) => void }): Promise<StorageStalls> {
  const { server, url, token, stop, dbFile } = await startServer('livedeck');
  const sockets: Client[] = [];
  try {
    const boss = (await connect(url, { role: 'presenter', token })).socket;
    const probe = (await connect(url, { role: 'audience', clientId: 'stall-probe-0001' })).socket;
    sockets.push(boss, probe);
    let slide = 0;
    let chatter = 0;
    let joiner = 0;

    const phase = async (name: string, label: string, during?: () => Promise<number>): Promise<StallPhase> => {
      const until = now() + options.phaseMs;
      const burst = during?.();
      const [loop, slides, joins, chats] = await Promise.all([
        every(PROBE_EVERY_MS, until, async () => {
          const reply = await probe.timeout(ACK_TIMEOUT_MS).emitWithAck('reaction:send', { emoji: 'not an emoji' });
          return !reply.ok && reply.error.code === 'invalid';
        }),
        every(SLIDE_EVERY_MS, until, async () => {
          slide = (slide + 1) % 4;
          const reply = await boss.timeout(ACK_TIMEOUT_MS).emitWithAck('slide:set', { h: slide, v: 0, f: -1 });
          return reply.ok;
        }),
        every(JOIN_EVERY_MS, until, async () => {
          const { socket } = await connect(url, { role: 'audience', clientId: `stall-join-${String(++joiner).padStart(5, '0')}` });
          socket.close();
          return true;
        }),
        every(CHAT_EVERY_MS, until, async () => {
          // A fresh person each time: the per-person chat limit is not what is measured.
          const { socket } = await connect(url, { role: 'audience', clientId: `stall-chat-${String(++chatter).padStart(5, '0')}` });
          try {
            const started = now();
            const reply = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('chat:send', { text: `stall ${chatter}` });
            chatTimes.push(now() - started);
            return reply.ok;
          } finally {
            socket.close();
          }
        }),
      ]);
      const persistRate = burst ? await burst : NaN;
      const result: StallPhase = {
        name,
        label,
        loop: distribution(loop.times),
        slide: distribution(slides.times),
        slideFailed: slides.failed,
        join: distribution(joins.times),
        joinFailed: joins.failed,
        chat: distribution(chatTimes.splice(0)),
        chatFailed: chats.failed,
        persistRate,
      };
      options.log(
        `  ${label}: loop p50 ${round(result.loop.p50)} / p99 ${round(result.loop.p99)} / max ${round(result.loop.max)} ms; ` +
          `slide:set p99 ${round(result.slide.p99)} ms (${result.slideFailed} failed); join p99 ${round(result.join.p99)} ms; ` +
          `chat p99 ${round(result.chat.p99)} ms (${result.chatFailed} refused)` +
          (Number.isFinite(persistRate) ? `; ${Math.round(persistRate)} msg/s persisted` : ''),
      );
      return result;
    };
    const chatTimes: number[] = [];

    const phases: StallPhase[] = [];
    phases.push(await phase('idle', 'idle'));
    phases.push(
      await phase('writing', 'persisting chat flat out', async () => {
        const burst = await server.request<ChatBurstResult>(
          { op: 'chat-burst', spec: { durationMs: options.phaseMs, concurrency: 64, persist: true, broadcast: false } },
          60_000,
        );
        return (burst.sent * 1000) / (burst.endAt - burst.startAt);
      }),
    );
    // Another process (here: this one) holds the write lock for the whole phase.
    const holder = new Database(dbFile);
    holder.pragma('busy_timeout = 5000');
    holder.exec('BEGIN EXCLUSIVE');
    try {
      phases.push(await phase('locked', 'database locked by another process'));
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    phases.push(await phase('after', 'after the lock is released'));
    return { phaseMs: options.phaseMs, phases };
  } finally {
    for (const socket of sockets) socket.close();
    await stop();
  }
}

const ms = (value: number) => (Number.isFinite(value) ? `${round(value)}` : '–');

export function storageStallsMarkdown(result: StorageStalls): string {
  const rows = result.phases.map(
    (p) =>
      `| ${p.label} | ${ms(p.loop.p50)} / ${ms(p.loop.p99)} / ${ms(p.loop.max)} | ${ms(p.slide.p50)} / ${ms(p.slide.max)} (${p.slideFailed} of ${p.slide.count} failed) | ` +
      `${ms(p.join.p50)} / ${ms(p.join.max)}${p.joinFailed ? ` (${p.joinFailed} failed)` : ''} | ${ms(p.chat.p50)} / ${ms(p.chat.max)} (${p.chatFailed} of ${p.chat.count} refused) | ` +
      `${Number.isFinite(p.persistRate) ? Math.round(p.persistRate) : '–'} |`,
  );
  return [
    `Phases of ${result.phaseMs / 1000} s; times in ms (p50 / p99 / max for the loop probe, p50 / max otherwise).`,
    '',
    '| Phase | Event loop (refused event) | `slide:set` ack | Join → snapshot | `chat:send` ack | Chat persisted, msg/s |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}
