/**
 * The soak (`npm run bench -- --soak`; issue "A conference hall"): one
 * livedeck process and a room of phones for minutes on end, with churn,
 * and a check that nothing acknowledged was lost.
 *
 * The phones are socket.io-client sockets, as the page's (src/lib/socket.ts):
 * they reconnect by themselves with connection state recovery, unpack
 * `room:batch` frames, and send the last message they hold on every
 * (re)connection. Every minute a share of them drops its transport without a
 * goodbye; half of those come back by themselves over WebSocket (recovery),
 * the other half are replaced by a fresh connection over long-polling that
 * resumes from the last message it holds (`lastChatId`), as a phone that
 * reloads on a flaky network does. Meanwhile phones chat, ask and vote on
 * questions and react, and the presenter moves the slide.
 *
 * At the end it asks the server's store for every message and question, and
 * counts, per phone, what the store holds and the phone does not: phones
 * that stayed connected throughout, and phones that were churned. Memory
 * (after a full GC), event-loop delay and CPU are read every minute.
 */
import { io, type Socket } from 'socket.io-client';
import { unpackBatches } from '../src/lib/room-batch.js';
import type { ClientToServerEvents, HandshakeAuth, ServerToClientEvents, Snapshot } from '../src/shared/protocol.js';
import type { LoopDelay, MemoryReport, StoredIds } from './messages.js';
import { startServer } from './scenario.js';
import { now, sleep } from './stats.js';

type Phone = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface SoakConfig {
  phones: number;
  minutes: number;
  /** Share of the phones dropped and reconnected every minute. */
  churnShare: number;
  chatPerSecond: number;
  slideEverySeconds: number;
  openFiles?: number;
  log: (line: string) => void;
}

export interface SoakMinute {
  minute: number;
  rssMB: number;
  heapMB: number;
  loop: LoopDelay;
  /** Server CPU during that minute, % of one core. */
  cpuPct: number;
  connected: number;
}

export interface SoakResult {
  config: Omit<SoakConfig, 'log'>;
  joinMs: number;
  minutes: SoakMinute[];
  sent: { chat: number; chatRefused: Record<string, number>; questions: number; votes: number; reactions: number; slides: number };
  stored: { chat: number; questions: number; ackedMissingFromStore: number };
  churned: { phones: number; overPolling: number };
  /** Per phone, acknowledged messages (and questions) it does not hold at the end. */
  missing: {
    stayedPhones: number;
    stayedChat: number;
    stayedQuestions: number;
    churnedPhones: number;
    churnedChat: number;
    churnedQuestions: number;
    /** Phones not connected at the end (their reconnection did not finish). */
    notConnected: number;
  };
  /** Growth from the end of the first minute to the end. */
  growth: { rssPct: number; heapPct: number };
  serverCpuPct: number;
}

interface PhoneState {
  index: number;
  clientId: string;
  socket: Phone;
  chat: Set<number>;
  questions: Set<number>;
  lastChatId: number;
  churned: boolean;
  /**
   * Set when a request went unanswered: the next connection skips recovery
   * and resumes its chat from here, the newest message held when that
   * request was sent (its own message, if it was stored, comes after it).
   */
  resyncFrom?: number;
}

const ackTimeoutMs = 20_000;

function openPhone(url: string, state: PhoneState, transports: Array<'websocket' | 'polling'>): Phone {
  const auth = (): HandshakeAuth => {
    const lastChatId = state.resyncFrom ?? state.lastChatId;
    return { role: 'audience', clientId: state.clientId, ...(lastChatId > 0 ? { lastChatId } : {}) };
  };
  const socket: Phone = io(url, {
    // As the page does (src/lib/socket.ts): after a resync, no recovery fields, so the server sends a snapshot.
    auth: (callback) => callback(state.resyncFrom === undefined ? auth() : { ...auth(), pid: undefined, offset: undefined }),
    transports,
    forceNew: true,
    reconnectionDelay: 500,
    reconnectionDelayMax: 4000,
  });
  const hold = (id: number) => {
    state.chat.add(id);
    if (id > state.lastChatId) state.lastChatId = id;
  };
  let snapshots = 0;
  socket.on('snapshot', (snapshot: Snapshot) => {
    snapshots++;
    state.resyncFrom = undefined;
    for (const message of snapshot.chat) hold(message.id);
    for (const question of snapshot.questions) state.questions.add(question.id);
  });
  // Restored before its first snapshot arrived: nothing to show, so ask for one (src/lib/socket.ts).
  socket.on('connect', () => {
    if (socket.recovered && snapshots === 0) resync(state, state.lastChatId);
  });
  unpackBatches(socket);
  socket.on('chat:message', (message) => hold(message.id));
  socket.on('question:updated', (question) => state.questions.add(question.id));
  return socket;
}

/**
 * A request went unanswered (src/lib/socket.ts `resync`): it may have been
 * applied with its ack lost, and recovery replays broadcasts, never acks, so
 * the phone reconnects for a snapshot: at once if still connected, else when
 * Socket.IO reconnects.
 */
function resync(state: PhoneState, from: number): void {
  state.resyncFrom = Math.min(state.resyncFrom ?? from, from);
  if (state.socket.connected) state.socket.disconnect().connect();
}

const mb = (bytes: number) => bytes / 1024 / 1024;

export async function runSoak(config: SoakConfig): Promise<SoakResult> {
  const { log } = config;
  const started = await startServer('livedeck', config.openFiles ? { openFiles: config.openFiles } : {});
  const { server, url, token } = started;
  const phones: PhoneState[] = [];
  const timers: NodeJS.Timeout[] = [];
  let presenter: Phone | undefined;
  try {
    presenter = io(url, { auth: { role: 'presenter', token }, transports: ['websocket'], forceNew: true });
    await new Promise((resolve) => presenter!.once('snapshot', resolve));

    // ---------------------------------------------------------------- join, 200 at a time
    const joinStart = now();
    for (let offset = 0; offset < config.phones; offset += 200) {
      const batch = Array.from({ length: Math.min(200, config.phones - offset) }, (_, k) => {
        const index = offset + k;
        const phone = {
          index,
          clientId: `soak-${String(index).padStart(6, '0')}`,
          chat: new Set<number>(),
          questions: new Set<number>(),
          lastChatId: 0,
          churned: false,
        } as PhoneState;
        // The same object: its listeners keep what the phone holds up to date.
        phone.socket = openPhone(url, phone, ['websocket']);
        phones.push(phone);
        return new Promise<void>((resolve) => phone.socket.once('snapshot', () => resolve()));
      });
      await Promise.all(batch);
    }
    const joinMs = now() - joinStart;
    log(`  soak: ${config.phones} phones joined in ${(joinMs / 1000).toFixed(1)} s`);

    // ---------------------------------------------------------------- traffic
    const sent: SoakResult['sent'] = { chat: 0, chatRefused: {}, questions: 0, votes: 0, reactions: 0, slides: 0 };
    const ackedChat = new Set<number>();
    const ackedQuestions: number[] = [];
    const pending: Array<Promise<unknown>> = [];
    let turn = 0;
    // Each sender in turn: a phone sends at most one message every 25 s, well inside its own limit.
    const connectedPhone = (step: number) => {
      for (let tries = 0; tries < phones.length; tries++) {
        const phone = phones[(step * 7919 + tries) % phones.length]!;
        if (phone.socket.connected) return phone;
      }
      return undefined;
    };
    const track = <T>(promise: Promise<T>) => {
      pending.push(promise.catch(() => undefined));
      return promise;
    };
    timers.push(
      setInterval(() => {
        const phone = connectedPhone(turn++);
        if (!phone) return;
        sent.chat++;
        const heldWhenSent = phone.lastChatId;
        void track(
          phone.socket
            .timeout(ackTimeoutMs)
            .emitWithAck('chat:send', { text: `soak ${sent.chat}` })
            .then(
              (reply) => {
                if (reply.ok) {
                  ackedChat.add(reply.message.id);
                  // The sender holds its message from the ack (the page hands it to its own listeners).
                  phone.chat.add(reply.message.id);
                  if (reply.message.id > phone.lastChatId) phone.lastChatId = reply.message.id;
                } else sent.chatRefused[reply.error.code] = (sent.chatRefused[reply.error.code] ?? 0) + 1;
              },
              (unanswered: unknown) => {
                resync(phone, heldWhenSent);
                throw unanswered;
              },
            ),
        );
      }, 1000 / config.chatPerSecond),
      setInterval(() => {
        const phone = connectedPhone(turn++);
        if (!phone) return;
        sent.questions++;
        void track(
          phone.socket
            .timeout(ackTimeoutMs)
            .emitWithAck('question:ask', { text: `soak question ${sent.questions}?` })
            .then(
              (reply) => {
                if (reply.ok) {
                  ackedQuestions.push(reply.question.id);
                  phone.questions.add(reply.question.id);
                }
              },
              (unanswered: unknown) => {
                resync(phone, phone.lastChatId);
                throw unanswered;
              },
            ),
        );
      }, 15_000),
      setInterval(() => {
        const id = ackedQuestions[turn % Math.max(1, ackedQuestions.length)];
        const phone = connectedPhone(turn++);
        if (id === undefined || !phone) return;
        sent.votes++;
        void track(phone.socket.timeout(ackTimeoutMs).emitWithAck('question:vote', { id, up: true }));
      }, 500),
      setInterval(() => {
        const phone = connectedPhone(turn++);
        if (!phone) return;
        sent.reactions++;
        void track(phone.socket.timeout(ackTimeoutMs).emitWithAck('reaction:send', { emoji: '👏' }));
      }, 200),
      setInterval(() => {
        sent.slides++;
        void track(presenter!.timeout(ackTimeoutMs).emitWithAck('slide:set', { h: sent.slides % 5, v: 0, f: -1 }));
      }, config.slideEverySeconds * 1000),
    );

    // ---------------------------------------------------------------- minutes, with churn
    const minutes: SoakMinute[] = [];
    let churnedPhones = 0;
    let overPolling = 0;
    await server.request<LoopDelay>({ op: 'loop' });
    let cpuBefore = started.cpu.cpuMs();
    let at = now();
    for (let minute = 1; minute <= config.minutes; minute++) {
      // Churn in the middle of the minute, so that its reconnections land inside the minute's readings.
      await sleep(30_000);
      const count = Math.round(phones.length * config.churnShare);
      for (let k = 0; k < count; k++) {
        const phone = phones[(minute * 104_729 + k * 7919) % phones.length]!;
        if (!phone.socket.connected) continue;
        phone.churned = true;
        churnedPhones++;
        if (k % 2 === 0) {
          // The Wi-Fi drops: no goodbye; Socket.IO reconnects by itself and recovers what it missed.
          phone.socket.io.engine.close();
        } else {
          // The page reloads on a network that only lets long-polling through: a new connection from what it held.
          overPolling++;
          phone.socket.io.engine.close();
          phone.socket.disconnect();
          phone.socket = openPhone(url, phone, ['polling']);
        }
      }
      await sleep(Math.max(0, at + 60_000 - now()));
      const memory = await server.request<MemoryReport>({ op: 'memory' });
      const loop = await server.request<LoopDelay>({ op: 'loop' });
      const cpuNow = started.cpu.cpuMs();
      const elapsed = now() - at;
      at = now();
      const reading: SoakMinute = {
        minute,
        rssMB: mb(memory.rss),
        heapMB: mb(memory.heapUsed),
        loop,
        cpuPct: (100 * (cpuNow - cpuBefore)) / elapsed,
        connected: phones.filter((phone) => phone.socket.connected).length,
      };
      cpuBefore = cpuNow;
      minutes.push(reading);
      log(
        `  soak minute ${minute}: RSS ${reading.rssMB.toFixed(1)} MB, heap ${reading.heapMB.toFixed(1)} MB, loop delay p99 ${loop.p99Ms.toFixed(1)} ms, server ${reading.cpuPct.toFixed(0)}% cpu, ${reading.connected} connected`,
      );
    }

    // ---------------------------------------------------------------- settle, then count
    for (const timer of timers.splice(0)) clearInterval(timer);
    await Promise.all(pending);
    const deadline = now() + 30_000;
    const heardAll = () => phones.every((phone) => !phone.socket.connected || [...ackedChat].every((id) => phone.chat.has(id)));
    while (now() < deadline && (!heardAll() || phones.some((phone) => !phone.socket.connected))) await sleep(250);

    const stored = await server.request<StoredIds>({ op: 'stored' });
    const storedChat = new Set(stored.chat);
    const storedQuestions = new Set(stored.questions);
    const ackedMissingFromStore = [...ackedChat].filter((id) => !storedChat.has(id)).length + ackedQuestions.filter((id) => !storedQuestions.has(id)).length;
    const missing: SoakResult['missing'] = {
      stayedPhones: 0,
      stayedChat: 0,
      stayedQuestions: 0,
      churnedPhones: 0,
      churnedChat: 0,
      churnedQuestions: 0,
      notConnected: phones.filter((phone) => !phone.socket.connected).length,
    };
    for (const phone of phones) {
      const chat = stored.chat.filter((id) => !phone.chat.has(id)).length;
      const questions = stored.questions.filter((id) => !phone.questions.has(id)).length;
      if (phone.churned) {
        missing.churnedChat += chat;
        missing.churnedQuestions += questions;
        if (chat + questions > 0) missing.churnedPhones++;
      } else {
        missing.stayedChat += chat;
        missing.stayedQuestions += questions;
        if (chat + questions > 0) missing.stayedPhones++;
      }
    }
    const first = minutes[0]!;
    const last = minutes.at(-1)!;
    const serverCpuPct = minutes.reduce((sum, reading) => sum + reading.cpuPct, 0) / minutes.length;
    const result: SoakResult = {
      config: {
        phones: config.phones,
        minutes: config.minutes,
        churnShare: config.churnShare,
        chatPerSecond: config.chatPerSecond,
        slideEverySeconds: config.slideEverySeconds,
      },
      joinMs,
      minutes,
      sent,
      stored: { chat: stored.chat.length, questions: stored.questions.length, ackedMissingFromStore },
      churned: { phones: churnedPhones, overPolling },
      missing,
      growth: { rssPct: (100 * (last.rssMB - first.rssMB)) / first.rssMB, heapPct: (100 * (last.heapMB - first.heapMB)) / first.heapMB },
      serverCpuPct,
    };
    log(
      `  soak: ${ackedChat.size} messages and ${ackedQuestions.length} questions acknowledged, ${ackedMissingFromStore} missing from the store; missing on phones that stayed: ${missing.stayedChat + missing.stayedQuestions}, on churned phones: ${missing.churnedChat + missing.churnedQuestions}; RSS ${result.growth.rssPct.toFixed(1)}%, heap ${result.growth.heapPct.toFixed(1)}% after minute 1`,
    );
    return result;
  } finally {
    for (const timer of timers) clearInterval(timer);
    presenter?.close();
    for (const phone of phones) phone.socket.close();
    await started.stop();
  }
}

const fixed = (value: number, digits = 1) => value.toFixed(digits);

/** The soak's section of docs/performance.md (between the bench:soak markers). */
export function soakMarkdown(result: SoakResult, when: string, load: string): string {
  const { config: c, missing: m } = result;
  const refused =
    Object.entries(result.sent.chatRefused)
      .map(([code, n]) => `${n} ${code}`)
      .join(', ') || 'none';
  const lines = [
    SOAK_MARKER_START,
    '',
    `## Soak: ${when} (\`npm run bench -- --soak\`)`,
    '',
    '<!-- Generated by `npm run bench -- --soak`; edits between the bench:soak markers are overwritten. -->',
    '',
    `- **Setup**: one livedeck process (createServer, 127.0.0.1, temp SQLite file), ${c.phones.toLocaleString('en-US')} socket.io-client phones in the benchmark's own process for ${c.minutes} minute(s); every minute ${fixed(c.churnShare * 100, 0)} % of the phones drop their transport without a goodbye, half of them reconnecting by themselves over WebSocket (connection state recovery) and half replaced by a new connection over long-polling that resumes from its last message; chat at ${c.chatPerSecond}/s, a question every 15 s, 2 question votes and 5 reactions a second, a slide change every ${c.slideEverySeconds} s.`,
    `- **Load**: ${load}`,
    `- **Sent**: ${result.sent.chat} messages (refused: ${refused}), ${result.sent.questions} questions, ${result.sent.votes} votes, ${result.sent.reactions} reactions, ${result.sent.slides} slide changes; ${result.churned.phones} drops, ${result.churned.overPolling} of them back over long-polling. Join of the room: ${fixed(result.joinMs / 1000)} s.`,
    '',
    '| Check | Result | |',
    '| --- | --- | --- |',
    `| Every acknowledged message and question in the store | ${result.stored.chat} messages and ${result.stored.questions} questions stored; ${result.stored.ackedMissingFromStore} acknowledged but missing | ${result.stored.ackedMissingFromStore === 0 ? '**met**' : '**missed**'} |`,
    `| Delivered to every phone that stayed connected (0 missing) | ${m.stayedChat} messages and ${m.stayedQuestions} questions missing, over ${m.stayedPhones} phones | ${m.stayedChat + m.stayedQuestions === 0 ? '**met**' : '**missed**'} |`,
    `| Phones that dropped and came back hold everything too | ${m.churnedChat} messages and ${m.churnedQuestions} questions missing, over ${m.churnedPhones} phones; ${m.notConnected} phones not connected at the end | ${m.churnedChat + m.churnedQuestions + m.notConnected === 0 ? '**met**' : '**missed**'} |`,
    `| Memory growth after the first minute ≤ 5 % | RSS ${fixed(result.growth.rssPct)} %, JS heap ${fixed(result.growth.heapPct)} % | ${Math.max(result.growth.rssPct, result.growth.heapPct) <= 5 ? '**met**' : '**missed**'} |`,
    '',
    '| minute | RSS | JS heap (after GC) | event-loop delay p50 / p99 / max | server CPU (% of one core) | phones connected |',
    '| ---: | ---: | ---: | --- | ---: | ---: |',
    ...result.minutes.map(
      (r) =>
        `| ${r.minute} | ${fixed(r.rssMB)} MB | ${fixed(r.heapMB)} MB | ${fixed(r.loop.p50Ms)} / ${fixed(r.loop.p99Ms)} / ${fixed(r.loop.maxMs)} ms | ${fixed(r.cpuPct, 0)}% | ${r.connected} |`,
    ),
    '',
    SOAK_MARKER_END,
  ];
  return lines.join('\n');
}

export const SOAK_MARKER_START = '<!-- bench:soak:start -->';
export const SOAK_MARKER_END = '<!-- bench:soak:end -->';
