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
 * resumes where its chat has no gap (`lastChatId`, src/lib/chat-resume.ts), as a phone that
 * reloads on a flaky network does. Meanwhile phones chat, ask and vote on
 * questions and react, and the presenter moves the slide.
 *
 * At the end it asks the server's store for every message and question, and
 * counts, per phone, what the store holds and the phone does not: phones
 * that stayed connected throughout, and phones that were churned. Memory
 * (after a full GC), event-loop delay and CPU are read every minute.
 *
 * With `processes: 2` (`npm run bench -- --soak --workers 2`) the talk lives
 * in one redis-server shared by two livedeck processes on their own ports
 * (REDIS_URL, as one process per machine behind a load balancer), the phones
 * spread over both, the presenter on the second. Halfway through, the first
 * is killed with SIGKILL: no goodbye, nothing flushed. The benchmark then
 * plays the load balancer that takes a dead backend out of rotation: the
 * killed process's phones reconnect, by themselves, to the survivor, which
 * cannot recover their sessions and sends each a snapshot from the last
 * message it holds. The count at the end asks the survivor's store (Redis).
 */
import { io, type Socket } from 'socket.io-client';
import { ChatResume } from '../src/lib/chat-resume.js';
import { unpackBatches } from '../src/lib/room-batch.js';
import type { ClientToServerEvents, HandshakeAuth, ServerToClientEvents, Snapshot } from '../src/shared/protocol.js';
import crypto from 'node:crypto';
import { startRedis, type TestRedis } from '../test/redis-server.js';
import type { LoopDelay, MemoryReport, StoredIds } from './messages.js';
import { findPid, processCpuMs } from './processes.js';
import { startServer } from './scenario.js';
import { distribution, now, sleep } from './stats.js';

type Phone = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface SoakConfig {
  phones: number;
  minutes: number;
  /** Share of the phones dropped and reconnected every minute. */
  churnShare: number;
  chatPerSecond: number;
  slideEverySeconds: number;
  openFiles?: number;
  /** 2: two livedeck processes sharing one Redis, the first killed (SIGKILL) halfway through. */
  processes?: 1 | 2;
  log: (line: string) => void;
}

/** One process's minute (two processes: null once it was killed). */
export interface ProcessMinute {
  rssMB: number;
  heapMB: number;
  loop: LoopDelay;
  cpuPct: number;
}

export interface SoakMinute {
  minute: number;
  rssMB: number;
  heapMB: number;
  loop: LoopDelay;
  /** Server CPU during that minute, % of one core. */
  cpuPct: number;
  connected: number;
  /** Two processes: each one's reading (the killed one first), and redis-server's CPU. */
  perProcess?: Array<ProcessMinute | null>;
  redisCpuPct?: number;
}

export interface SoakKill {
  /** After which minute the first process was killed, and when (ms after the traffic began). */
  afterMinute: number;
  atMs: number;
  /** Its phones at the kill, and how many were back (a snapshot from the survivor) and how fast. */
  phones: number;
  back: number;
  backMs: { p50: number; p99: number; max: number };
  /** What those phones lack at the end. */
  missingChat: number;
  missingQuestions: number;
  missingPhones: number;
  notConnected: number;
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
  kill?: SoakKill;
}

interface PhoneState {
  index: number;
  clientId: string;
  socket: Phone;
  /** The process this phone connects to (two processes: its index). */
  url: string;
  server: number;
  /** Its process was killed at this time; cleared with the first snapshot after (backMs). */
  lostAt?: number;
  backMs?: number;
  moved: boolean;
  chat: Set<number>;
  questions: Set<number>;
  /** Where its chat resumes after a drop, as the page's (src/lib/chat-resume.ts): carried over to a replacing connection. */
  resume: ChatResume;
  churned: boolean;
  /**
   * Set when a request went unanswered: the next connection skips recovery
   * and resumes its chat from here, the newest message held when that
   * request was sent (its own message, if it was stored, comes after it).
   */
  resyncFrom?: number;
  /** Two processes, phones of the process killed: when each chat id was first heard, and what happened to the connection (for the report of what a moved phone lacks). */
  trace?: { heard: Map<number, number>; events: string[] };
}

/** Where a chat id came from, for the report of what a moved phone lacks. */
interface ChatOrigin {
  ts?: number;
  firstHeardAt?: number;
  ackedAt?: number;
  ackedBy?: string;
}
const chatOrigins = new Map<number, ChatOrigin>();
const origin = (id: number) => {
  let known = chatOrigins.get(id);
  if (!known) chatOrigins.set(id, (known = {}));
  return known;
};
let traceStart = 0;
const clock = () => (now() - traceStart).toFixed(0);

const ackTimeoutMs = 20_000;

/** The chat id a phone resumes from (0: none). */
const resumeId = (state: PhoneState) => state.resume.lastChatId ?? 0;

function openPhone(state: PhoneState, transports: Array<'websocket' | 'polling'>): Phone {
  const auth = (): HandshakeAuth => {
    const lastChatId = state.resyncFrom ?? resumeId(state);
    state.trace?.events.push(`${clock()} handshake to ${state.url.slice(-5)} lastChatId ${lastChatId}${state.resyncFrom !== undefined ? ' (resync)' : ''}`);
    return { role: 'audience', clientId: state.clientId, ...(lastChatId > 0 ? { lastChatId } : {}) };
  };
  const socket: Phone = io(state.url, {
    // As the page does (src/lib/socket.ts): after a resync, no recovery fields, so the server sends a snapshot.
    auth: (callback) => callback(state.resyncFrom === undefined ? auth() : { ...auth(), pid: undefined, offset: undefined }),
    transports,
    forceNew: true,
    reconnectionDelay: 500,
    reconnectionDelayMax: 4000,
  });
  const hold = (id: number, ts?: number) => {
    const known = origin(id);
    if (ts !== undefined) known.ts = ts;
    known.firstHeardAt ??= now() - traceStart;
    if (state.trace && !state.trace.heard.has(id)) state.trace.heard.set(id, now() - traceStart);
    state.chat.add(id);
  };
  socket.on('snapshot', (snapshot: Snapshot) => {
    state.resume.snapshot(snapshot);
    state.resyncFrom = undefined;
    if (state.lostAt !== undefined) {
      state.backMs = now() - state.lostAt;
      state.lostAt = undefined;
    }
    state.trace?.events.push(`${clock()} snapshot chat ${snapshot.chat[0]?.id}..${snapshot.chat.at(-1)?.id} (${snapshot.chat.length})`);
    for (const message of snapshot.chat) hold(message.id, message.ts);
    for (const question of snapshot.questions) state.questions.add(question.id);
  });
  // Restored a connection that dropped before its snapshot arrived: what came before its join is missing, so ask
  // for a snapshot (src/lib/socket.ts).
  socket.on('connect', () => {
    state.trace?.events.push(`${clock()} connect${socket.recovered ? ' recovered' : ''}`);
    state.resume.connected(socket.recovered);
    if (socket.recovered && !state.resume.isCaughtUp) resync(state, resumeId(state));
  });
  unpackBatches(socket);
  socket.on('chat:message', (message) => {
    hold(message.id, message.ts);
    state.resume.heard(message.id);
  });
  if (state.trace) {
    const events = state.trace.events;
    socket.on('disconnect', (reason) => events.push(`${clock()} disconnect ${reason}`));
    socket.on('connect_error', (error) => events.push(`${clock()} connect_error ${error.message}`));
  }
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

type Started = Awaited<ReturnType<typeof startServer>>;

/** One process on SQLite, or two sharing a fresh redis-server (the first one is the one killed). */
async function startProcesses(config: SoakConfig): Promise<{ servers: Started[]; redis?: TestRedis }> {
  const common = config.openFiles ? { openFiles: config.openFiles } : {};
  if ((config.processes ?? 1) === 1) return { servers: [await startServer('livedeck', common)] };
  const redis = await startRedis();
  const servers: Started[] = [];
  try {
    const shared = { url: redis.url, presenterToken: crypto.randomBytes(16).toString('base64url') };
    // One after the other: the second joins the talk the first opened in Redis.
    for (const name of ['livedeck A (killed)', 'livedeck B (survivor)']) servers.push(await startServer('livedeck', { ...common, redis: shared, name }));
    return { servers, redis };
  } catch (error) {
    for (const server of servers) await server.stop();
    await redis.destroy();
    throw error;
  }
}

export async function runSoak(config: SoakConfig): Promise<SoakResult> {
  const { log } = config;
  const processes = config.processes ?? 1;
  const { servers, redis } = await startProcesses(config);
  // The one process, or the survivor: the presenter's, and the store the count asks.
  const main = servers.at(-1)!;
  const { token } = main;
  const redisPid = redis ? findPid(`redis-server 127.0.0.1:${redis.port}`) : undefined;
  const killMinute = processes === 2 ? Math.max(1, Math.floor(config.minutes / 2)) : undefined;
  const phones: PhoneState[] = [];
  const timers: NodeJS.Timeout[] = [];
  let presenter: Phone | undefined;
  try {
    presenter = io(main.url, { auth: { role: 'presenter', token }, transports: ['websocket'], forceNew: true });
    await new Promise((resolve) => presenter!.once('snapshot', resolve));

    // ---------------------------------------------------------------- join, 200 at a time
    const joinStart = now();
    traceStart = joinStart;
    chatOrigins.clear();
    for (let offset = 0; offset < config.phones; offset += 200) {
      const batch = Array.from({ length: Math.min(200, config.phones - offset) }, (_, k) => {
        const index = offset + k;
        const server = index % servers.length;
        const phone = {
          index,
          clientId: `soak-${String(index).padStart(6, '0')}`,
          url: servers[server]!.url,
          server,
          moved: false,
          chat: new Set<number>(),
          questions: new Set<number>(),
          resume: new ChatResume(),
          churned: false,
          ...(processes === 2 && server === 0 ? { trace: { heard: new Map<number, number>(), events: [] } } : {}),
        } as PhoneState;
        // The same object: its listeners keep what the phone holds up to date.
        phone.socket = openPhone(phone, ['websocket']);
        phones.push(phone);
        return new Promise<void>((resolve) => phone.socket.once('snapshot', () => resolve()));
      });
      await Promise.all(batch);
    }
    const joinMs = now() - joinStart;
    log(`  soak: ${config.phones} phones joined in ${(joinMs / 1000).toFixed(1)} s${processes === 2 ? ', half on each process' : ''}`);

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
        const heldWhenSent = resumeId(phone);
        void track(
          phone.socket
            .timeout(ackTimeoutMs)
            .emitWithAck('chat:send', { text: `soak ${sent.chat}` })
            .then(
              (reply) => {
                if (reply.ok) {
                  ackedChat.add(reply.message.id);
                  const known = origin(reply.message.id);
                  known.ackedAt = now() - traceStart;
                  known.ackedBy = `phone ${phone.index} on ${phone.url.slice(-5)}`;
                  known.ts = reply.message.ts;
                  // The sender holds its message from the ack (the page hands it to its own listeners).
                  phone.chat.add(reply.message.id);
                  phone.resume.heard(reply.message.id);
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
                resync(phone, resumeId(phone));
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
    let kill: { atMs: number; phones: PhoneState[] } | undefined;
    const alive = () => servers.filter((server) => server.server.running);
    await Promise.all(servers.map((server) => server.server.request<LoopDelay>({ op: 'loop' })));
    const cpuBefore = servers.map((server) => server.cpu.cpuMs());
    let redisCpuBefore = redisPid ? processCpuMs(redisPid) : 0;
    const trafficStart = now();
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
          phone.socket = openPhone(phone, ['polling']);
        }
      }
      await sleep(Math.max(0, at + 60_000 - now()));
      const readings = await Promise.all(
        servers.map(async (server, index): Promise<ProcessMinute | null> => {
          if (!server.server.running) return null;
          const memory = await server.server.request<MemoryReport>({ op: 'memory' });
          const loop = await server.server.request<LoopDelay>({ op: 'loop' });
          const cpuNow = server.cpu.cpuMs();
          const cpuPct = (100 * (cpuNow - cpuBefore[index]!)) / (now() - at);
          cpuBefore[index] = cpuNow;
          return { rssMB: mb(memory.rss), heapMB: mb(memory.heapUsed), loop, cpuPct };
        }),
      );
      const redisCpuNow = redisPid ? processCpuMs(redisPid) : 0;
      const elapsed = now() - at;
      at = now();
      const own = readings.at(-1)!;
      const reading: SoakMinute = {
        minute,
        ...own,
        connected: phones.filter((phone) => phone.socket.connected).length,
        ...(processes === 2 ? { perProcess: readings, redisCpuPct: (100 * (redisCpuNow - redisCpuBefore)) / elapsed } : {}),
      };
      redisCpuBefore = redisCpuNow;
      minutes.push(reading);
      const perProcess =
        processes === 2
          ? readings
              .map((r, index) =>
                r
                  ? `${index === 0 ? 'A' : 'B'}: RSS ${r.rssMB.toFixed(1)} MB, loop p99 ${r.loop.p99Ms.toFixed(0)} ms, ${r.cpuPct.toFixed(0)}% cpu`
                  : `${index === 0 ? 'A' : 'B'}: killed`,
              )
              .join('; ') + `; redis ${reading.redisCpuPct!.toFixed(0)}% cpu`
          : `RSS ${reading.rssMB.toFixed(1)} MB, heap ${reading.heapMB.toFixed(1)} MB, loop delay p99 ${own.loop.p99Ms.toFixed(1)} ms, server ${reading.cpuPct.toFixed(0)}% cpu`;
      log(`  soak minute ${minute}: ${perProcess}, ${reading.connected} connected`);

      if (minute === killMinute && alive().length === servers.length) {
        // The crash: SIGKILL, no goodbye. Its phones' next attempts go to the survivor, as a load balancer
        // sends them once the dead backend refuses connections.
        const victim = servers[0]!;
        victim.server.kill();
        const lostAt = now();
        const lost = phones.filter((phone) => phone.server === 0);
        for (const phone of lost) {
          phone.trace?.events.push(`${clock()} killed; resumes from ${resumeId(phone)}`);
          phone.server = servers.length - 1;
          phone.url = main.url;
          // The Manager keeps the address it reconnects to in `uri` (no public setter).
          (phone.socket.io as unknown as { uri: string }).uri = main.url;
          phone.moved = true;
          phone.lostAt = lostAt;
        }
        kill = { atMs: lostAt - trafficStart, phones: lost };
        log(`  soak: killed process A (SIGKILL) at ${clock()} after minute ${minute}; its ${lost.length} phones reconnect to B`);
        // Its CPU counter is gone with it: the survivor's share starts here.
        await victim.server.stopped();
      }
    }

    // ---------------------------------------------------------------- settle, then count
    for (const timer of timers.splice(0)) clearInterval(timer);
    await Promise.all(pending);
    const deadline = now() + 30_000;
    const heardAll = () => phones.every((phone) => !phone.socket.connected || [...ackedChat].every((id) => phone.chat.has(id)));
    while (now() < deadline && (!heardAll() || phones.some((phone) => !phone.socket.connected))) await sleep(250);

    const stored = await main.server.request<StoredIds>({ op: 'stored' });
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
      notConnected: phones.filter((phone) => !phone.moved && !phone.socket.connected).length,
    };
    let killReport: SoakKill | undefined;
    if (kill) {
      const back = kill.phones.flatMap((phone) => (phone.backMs === undefined ? [] : [phone.backMs]));
      const spread = distribution(back);
      killReport = {
        afterMinute: killMinute!,
        atMs: kill.atMs,
        phones: kill.phones.length,
        back: back.length,
        backMs: { p50: spread.p50, p99: spread.p99, max: spread.max },
        missingChat: 0,
        missingQuestions: 0,
        missingPhones: 0,
        notConnected: kill.phones.filter((phone) => !phone.socket.connected).length,
      };
    }
    for (const phone of phones) {
      const chat = stored.chat.filter((id) => !phone.chat.has(id)).length;
      const questions = stored.questions.filter((id) => !phone.questions.has(id)).length;
      if (phone.moved && killReport) {
        killReport.missingChat += chat;
        killReport.missingQuestions += questions;
        if (chat + questions > 0) killReport.missingPhones++;
      } else if (phone.churned) {
        missing.churnedChat += chat;
        missing.churnedQuestions += questions;
        if (chat + questions > 0) missing.churnedPhones++;
      } else {
        missing.stayedChat += chat;
        missing.stayedQuestions += questions;
        if (chat + questions > 0) missing.stayedPhones++;
      }
    }
    if (kill) reportMovedMissing(kill.phones, stored.chat, log);
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
      ...(killReport ? { kill: killReport } : {}),
    };
    if (killReport) {
      log(
        `  soak: process A killed ${(killReport.atMs / 1000).toFixed(0)} s in; ${killReport.back}/${killReport.phones} of its phones back on B, p50 ${(killReport.backMs.p50 / 1000).toFixed(1)} s, p99 ${(killReport.backMs.p99 / 1000).toFixed(1)} s; they miss ${killReport.missingChat + killReport.missingQuestions}`,
      );
    }
    log(
      `  soak: ${ackedChat.size} messages and ${ackedQuestions.length} questions acknowledged, ${ackedMissingFromStore} missing from the store; missing on phones that stayed: ${missing.stayedChat + missing.stayedQuestions}, on churned phones: ${missing.churnedChat + missing.churnedQuestions}; RSS ${result.growth.rssPct.toFixed(1)}%, heap ${result.growth.heapPct.toFixed(1)}% after minute 1`,
    );
    return result;
  } finally {
    for (const timer of timers) clearInterval(timer);
    presenter?.close();
    for (const phone of phones) phone.socket.close();
    for (const server of servers) await server.stop().catch(() => server.server.kill());
    await redis?.destroy();
  }
}

/** For a few moved phones that lack a message: which, where it came from, and the phone's reconnections. */
function reportMovedMissing(moved: PhoneState[], stored: number[], log: (line: string) => void): void {
  const lacking = moved.filter((phone) => stored.some((id) => !phone.chat.has(id)));
  const byId = new Map<number, number>();
  for (const phone of lacking) for (const id of stored) if (!phone.chat.has(id)) byId.set(id, (byId.get(id) ?? 0) + 1);
  log(`  soak trace: ${lacking.length} moved phones lack messages; ids lacked (phones): ${[...byId].map(([id, n]) => `${id} (${n})`).join(', ')}`);
  for (const phone of lacking.slice(0, 6)) {
    const missing = stored.filter((id) => !phone.chat.has(id));
    for (const id of missing) {
      const o = chatOrigins.get(id) ?? {};
      const near = [...phone.trace!.heard].filter(([other]) => Math.abs(other - id) <= 3).map(([other, t]) => `${other}@${t.toFixed(0)}`);
      log(
        `  soak trace: phone ${phone.index} lacks ${id}: ts ${o.ts !== undefined ? (o.ts - (chatOrigins.get(stored[0]!)?.ts ?? 0)).toFixed(0) : '?'} (rel. to first), first heard by any phone at ${o.firstHeardAt?.toFixed(0)}, acked at ${o.ackedAt?.toFixed(0)} to ${o.ackedBy}; the phone heard around it: ${near.join(' ')}`,
      );
    }
    log(`  soak trace: phone ${phone.index} events: ${phone.trace!.events.slice(-12).join(' | ')}`);
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

/** The two-process soak's section of docs/performance.md (between the bench:soak-workers markers). */
export function soakWorkersMarkdown(result: SoakResult, when: string, load: string): string {
  const { config: c, missing: m, kill: k } = result;
  if (!k) throw new Error('the two-process soak reports its kill');
  const refused =
    Object.entries(result.sent.chatRefused)
      .map(([code, n]) => `${n} ${code}`)
      .join(', ') || 'none';
  const seconds = (ms: number) => `${fixed(ms / 1000)} s`;
  const process = (r: ProcessMinute | null | undefined) =>
    r ? `${fixed(r.rssMB)} MB / ${fixed(r.heapMB)} MB | ${fixed(r.loop.p99Ms, 0)} ms | ${fixed(r.cpuPct, 0)}%` : 'killed | – | –';
  const before = result.minutes[k.afterMinute - 1]?.perProcess?.[1];
  const last = result.minutes.at(-1)!;
  const lines = [
    SOAK_WORKERS_MARKER_START,
    '',
    `## Soak, 2 processes + Redis, one killed: ${when} (\`npm run bench -- --soak --workers 2\`)`,
    '',
    '<!-- Generated by `npm run bench -- --soak --workers 2`; edits between the bench:soak-workers markers are overwritten. -->',
    '',
    `- **Setup**: two livedeck processes (createServer on their own ports on 127.0.0.1, \`REDIS_URL\` to one redis-server with \`appendonly yes\`, \`appendfsync always\`: talk state in Redis, broadcasts through Socket.IO's Redis Streams adapter), ${c.phones.toLocaleString('en-US')} socket.io-client phones in the benchmark's own process, half on each, the presenter on B, for ${c.minutes} minute(s). Same traffic and churn as the one-process soak above: every minute ${fixed(c.churnShare * 100, 0)} % of the phones drop their transport (half back by themselves over WebSocket, half replaced over long-polling), chat at ${c.chatPerSecond}/s, a question every 15 s, 2 votes and 5 reactions a second, a slide change every ${c.slideEverySeconds} s.`,
    `- **The kill**: after minute ${k.afterMinute} (${seconds(k.atMs)} into the traffic) process A gets SIGKILL. The benchmark then acts as the load balancer that takes a dead backend out of rotation: A's phones reconnect (Socket.IO's own back-off, 0.5–4 s) to B, which cannot recover their sessions (A never wrote them) and sends each a snapshot from the last message it holds.`,
    `- **Load**: ${load}`,
    `- **Sent**: ${result.sent.chat} messages (refused: ${refused}), ${result.sent.questions} questions, ${result.sent.votes} votes, ${result.sent.reactions} reactions, ${result.sent.slides} slide changes; ${result.churned.phones} drops, ${result.churned.overPolling} of them back over long-polling. Join of the room: ${seconds(result.joinMs)}.`,
    '',
    '| Check | Result | |',
    '| --- | --- | --- |',
    `| Every acknowledged message and question in the store (Redis, asked through B) | ${result.stored.chat} messages and ${result.stored.questions} questions stored; ${result.stored.ackedMissingFromStore} acknowledged but missing | ${result.stored.ackedMissingFromStore === 0 ? '**met**' : '**missed**'} |`,
    `| Delivered to every phone that stayed connected to B (0 missing) | ${m.stayedChat} messages and ${m.stayedQuestions} questions missing, over ${m.stayedPhones} phones | ${m.stayedChat + m.stayedQuestions === 0 ? '**met**' : '**missed**'} |`,
    `| A's phones are back on B | ${k.back} of ${k.phones} back (snapshot from B) after p50 ${seconds(k.backMs.p50)}, p99 ${seconds(k.backMs.p99)}, max ${seconds(k.backMs.max)}; ${k.notConnected} not connected at the end | ${k.back === k.phones && k.notConnected === 0 ? '**met**' : '**missed**'} |`,
    `| A's phones hold everything at the end | ${k.missingChat} messages and ${k.missingQuestions} questions missing, over ${k.missingPhones} phones | ${k.missingChat + k.missingQuestions === 0 ? '**met**' : '**missed**'} |`,
    `| Phones that dropped and came back hold everything too | ${m.churnedChat} messages and ${m.churnedQuestions} questions missing, over ${m.churnedPhones} phones; ${m.notConnected} phones not connected at the end | ${m.churnedChat + m.churnedQuestions + m.notConnected === 0 ? '**met**' : '**missed**'} |`,
    '',
    `The survivor B: RSS ${fixed(before?.rssMB ?? NaN)} MB before the kill (half the room), ${fixed(last.rssMB)} MB at the end (the whole room); JS heap ${fixed(before?.heapMB ?? NaN)} MB, then ${fixed(last.heapMB)} MB.`,
    '',
    '| minute | A: RSS / JS heap (after GC) | A: loop delay p99 | A: CPU | B: RSS / JS heap (after GC) | B: loop delay p99 | B: CPU | redis-server CPU | phones connected |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...result.minutes.map(
      (r) => `| ${r.minute} | ${process(r.perProcess?.[0])} | ${process(r.perProcess?.[1])} | ${fixed(r.redisCpuPct ?? NaN, 0)}% | ${r.connected} |`,
    ),
    '',
    'CPU as % of one core over the minute; A killed after its last row.',
    '',
    SOAK_WORKERS_MARKER_END,
  ];
  return lines.join('\n');
}

export const SOAK_WORKERS_MARKER_START = '<!-- bench:soak-workers:start -->';
export const SOAK_WORKERS_MARKER_END = '<!-- bench:soak-workers:end -->';
