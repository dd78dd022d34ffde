/**
 * One measured case: a fresh server (livedeck or the reference) in its own
 * process, or livedeck as `--workers K` with a fresh redis-server; N
 * audience connections from the generator processes, then the join storm,
 * idle memory, slide fan-out and chat delivery, in that order.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChatSend, ChatSent, ChatTimes, JoinResult, MemoryReport, ServerReady, SlideSent, SlideTimes, Target } from './messages.js';
import { createClient } from 'redis';
import { startRedis } from '../test/redis-server.js';
import { isLivedeck } from './messages.js';
import { Child, findPid, machineCpuMs, processCpuMs } from './processes.js';
import { distribution, now, sleep, type Distribution } from './stats.js';
import type { ClientKind } from './wire-client.js';

export interface ScenarioConfig {
  target: Target;
  n: number;
  kind: ClientKind;
  generators: number;
  /** Handshakes in flight at once, over all generators. */
  concurrency: number;
  slides: number;
  chat?: { chatters: number; ratePerSecond: number; messages: number };
  idleMs: number;
  cpuProfDir?: string;
  openFiles?: number;
  /** Target "workers": how many (default 2). */
  workers?: number;
  /** Runs once the server listens, before any phone connects (e.g. to measure the first load). */
  onServer?: (url: string) => Promise<void>;
  log: (line: string) => void;
}

export interface PhaseCpu {
  /** % of one core over the phase's wall time. */
  serverPct: number;
  generatorPct: number;
  serverMs: number;
  generatorMs: number;
  wallMs: number;
  /** Workers: serverPct split into the cluster primary, the workers (together) and redis-server. */
  parts?: { primaryPct: number; workersPct: number; redisPct: number };
}

export interface ScenarioResult {
  target: Target;
  n: number;
  kind: ClientKind;
  generators: number;
  /** Target "workers": the worker count, and Socket.IO sessions per worker after the join (the presenter's worker first). */
  workers?: {
    count: number;
    spread: number[];
    /** Commands redis-server ran, per phone joined and per slide: all of them, and the adapter's stream appends (XADD). */
    redisPerJoin: RedisCommands;
    redisPerSlide: RedisCommands;
  };
  join: Distribution & {
    totalMs: number;
    connected: number;
    failures: number;
    firstError?: string;
    /** Server CPU time per phone joined: robust to other load on the machine, unlike wall times. */
    serverCpuMsPerJoin: number;
    cpu: PhaseCpu;
  };
  memory: { baseline: MemoryReport; idle: MemoryReport; rssPerClientKB: number; heapPerClientKB: number };
  fanout: Distribution & {
    slides: number;
    missing: number;
    /** Per slide: send → the last phone has it. */
    lastMs: number[];
    ackP50: number;
    serverCpuMsPerSlide: number;
    cpu: PhaseCpu;
  };
  chat?: Distribution & {
    scheduled: number;
    delivered: number;
    refused: Record<string, number>;
    complete: boolean;
    ratePerSecond: number;
    chatters: number;
    durationMs: number;
    /** Messages that reached every phone, per second. */
    throughput: number;
    deliveriesPerSecond: number;
    cpu: PhaseCpu;
  };
  wallMs: number;
  /**
   * Share of the machine's CPU (all cores) taken by processes other than
   * this benchmark while the phases ran: the neighbours' noise in this row.
   */
  otherLoadPct: number;
  /** Phase boundaries on the server's profile clock (µs), when it runs with --cpu-prof. */
  phases?: Array<{ name: string; startUs: number; endUs: number }>;
}

class CpuMeter {
  private serverAt = 0;
  private partsAt: number[] = [];
  private generatorAt = 0;
  private wallAt = 0;

  constructor(
    private readonly server: ServerCpu,
    private readonly generators: Child[],
  ) {
    this.reset();
  }

  reset(): void {
    this.serverAt = this.server.cpuMs();
    this.partsAt = this.server.partsCpuMs?.() ?? [];
    this.generatorAt = this.generatorMs();
    this.wallAt = now();
  }

  private generatorMs(): number {
    return this.generators.reduce((sum, child) => sum + child.cpuMs(), 0);
  }

  take(): PhaseCpu {
    const serverMs = this.server.cpuMs() - this.serverAt;
    const partsMs = this.server.partsCpuMs?.().map((ms, index) => ms - this.partsAt[index]!);
    const generatorMs = this.generatorMs() - this.generatorAt;
    const wallMs = now() - this.wallAt;
    this.reset();
    return {
      serverMs,
      generatorMs,
      wallMs,
      serverPct: (100 * serverMs) / wallMs,
      generatorPct: (100 * generatorMs) / wallMs,
      ...(partsMs
        ? { parts: { primaryPct: (100 * partsMs[0]!) / wallMs, workersPct: (100 * partsMs[1]!) / wallMs, redisPct: (100 * partsMs[2]!) / wallMs } }
        : {}),
    };
  }
}

export interface RedisCommands {
  total: number;
  xadd: number;
  /** Calls per command name (per join or per slide), most first: which code is behind the total. */
  byName?: Record<string, number>;
}

/** Calls per command so far (`INFO commandstats`), leaving out this connection's own. */
async function redisCommandCalls(url: string): Promise<Map<string, number>> {
  const client = createClient({ url });
  await client.connect();
  try {
    const info = await client.info('commandstats');
    const calls = new Map<string, number>();
    for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) calls.set(match[1]!, Number(match[2]));
    return calls;
  } finally {
    await client.close();
  }
}

function commandsBetween(before: Map<string, number>, after: Map<string, number>, per: number): RedisCommands {
  let total = 0;
  const byName: Array<[string, number]> = [];
  for (const [name, calls] of after) {
    if (name === 'info' || name === 'hello') continue;
    const made = calls - (before.get(name) ?? 0);
    total += made;
    if (made > 0) byName.push([name, made / Math.max(1, per)]);
  }
  return {
    total: total / Math.max(1, per),
    xadd: ((after.get('xadd') ?? 0) - (before.get('xadd') ?? 0)) / Math.max(1, per),
    byName: Object.fromEntries(byName.sort((a, b) => b[1] - a[1])),
  };
}

/** CPU time of everything that serves the phones: one process, or the primary, the workers and redis-server. */
interface ServerCpu {
  cpuMs(): number;
  /** Workers: [primary, workers, redis-server]. */
  partsCpuMs?(): number[];
}

export const DEFAULT_WORKERS = 2;

const cpuParts = (cpu: PhaseCpu) =>
  cpu.parts ? ` = primary ${cpu.parts.primaryPct.toFixed(0)}% + workers ${cpu.parts.workersPct.toFixed(0)}% + redis ${cpu.parts.redisPct.toFixed(0)}%` : '';

/** livedeck as `npm start -- --workers K`, with its own redis-server (test/redis-server.ts: a free port, a temp dir, appendfsync always). */
async function startWorkers(workers: number, options: { cpuProfDir?: string; openFiles?: number }) {
  const redis = await startRedis();
  const nodeArgs = ['--expose-gc'];
  // The workers inherit these: one profile per process.
  if (options.cpuProfDir) nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`);
  const server = Child.start('workers server', 'serve-workers.ts', [String(workers), redis.url], {
    nodeArgs,
    ...(options.openFiles ? { openFiles: options.openFiles } : {}),
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    const ready = (await Promise.race([
      server.ready,
      new Promise((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`${workers} workers did not start within 60 s`)), 60_000);
      }),
    ]).finally(() => clearTimeout(timer))) as ServerReady;
    const [primaryPid, ...workerPids] = ready.pids ?? [server.pid];
    const redisPid = findPid(`redis-server 127.0.0.1:${redis.port}`);
    const sum = (list: Array<number | undefined>) => list.reduce<number>((total, pid) => total + (pid ? processCpuMs(pid) || 0 : 0), 0);
    const cpu: ServerCpu = {
      cpuMs: () => sum([primaryPid, ...workerPids, redisPid]),
      partsCpuMs: () => [sum([primaryPid]), sum(workerPids), sum([redisPid])],
    };
    const stop = async () => {
      await server.request({ op: 'stop' }, 30_000).catch(() => server.kill());
      await server.stopped();
      await redis.destroy();
    };
    return { server, url: `http://127.0.0.1:${ready.port}`, token: ready.token, stop, cpu, redisCalls: () => redisCommandCalls(redis.url) };
  } catch (error) {
    server.kill();
    await redis.destroy();
    throw error;
  }
}

export async function startServer(
  target: Exclude<Target, 'workers'>,
  options: { cpuProfDir?: string; openFiles?: number; redis?: { url: string; presenterToken: string }; name?: string } = {},
) {
  const dbDir = fs.mkdtempSync(path.join(os.tmpdir(), 'livedeck-bench-'));
  const nodeArgs = ['--expose-gc'];
  if (options.cpuProfDir) nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`);
  const server = Child.start(options.name ?? `${target} server`, 'serve.ts', [target, dbDir, ...(options.redis ? [options.redis.url] : [])], {
    nodeArgs,
    ...(options.openFiles ? { openFiles: options.openFiles } : {}),
    ...(options.redis ? { env: { BENCH_PRESENTER_TOKEN: options.redis.presenterToken } } : {}),
  });
  let timer: NodeJS.Timeout | undefined;
  const ready = (await Promise.race([
    server.ready,
    new Promise((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`${target} server did not start within 60 s`)), 60_000);
    }),
  ]).finally(() => clearTimeout(timer))) as ServerReady;
  const stop = async () => {
    // A process the benchmark killed on purpose has nothing left to stop.
    if (server.running) await server.request({ op: 'stop' }, 30_000).catch(() => server.kill());
    await server.stopped();
    fs.rmSync(dbDir, { recursive: true, force: true });
  };
  const cpu: ServerCpu = { cpuMs: () => server.cpuMs() };
  return { server, url: `http://127.0.0.1:${ready.port}`, token: ready.token, stop, cpu, dbFile: path.join(dbDir, 'bench.db') };
}

export function startGenerators(count: number, openFiles?: number): Child[] {
  return Array.from({ length: count }, (_, index) => Child.start(`generator ${index}`, 'generator.ts', [], openFiles ? { openFiles } : {}));
}

export function shards(n: number, generators: number): Array<{ offset: number; count: number }> {
  const size = Math.ceil(n / generators);
  return Array.from({ length: generators }, (_, index) => ({
    offset: index * size,
    count: Math.max(0, Math.min(size, n - index * size)),
  }));
}

function chatSchedule(config: NonNullable<ScenarioConfig['chat']>, n: number, startAt: number): ChatSend[] {
  const chatters = Math.min(config.chatters, n);
  return Array.from({ length: config.messages }, (_, j) => ({
    // Spread over the room: distinct people, since the server limits each one.
    client: Math.floor(((j % chatters) * n) / chatters),
    at: startAt + (j * 1000) / config.ratePerSecond,
    text: `bench chat ${j}`,
  }));
}

export async function runScenario(config: ScenarioConfig): Promise<ScenarioResult> {
  const began = now();
  const { log } = config;
  const options = { ...(config.cpuProfDir ? { cpuProfDir: config.cpuProfDir } : {}), ...(config.openFiles ? { openFiles: config.openFiles } : {}) };
  const started: Omit<Awaited<ReturnType<typeof startServer>>, 'dbFile'> & { redisCalls?: () => Promise<Map<string, number>> } =
    config.target === 'workers' ? await startWorkers(config.workers ?? DEFAULT_WORKERS, options) : await startServer(config.target, options);
  const { server, url, token, stop, cpu, redisCalls } = started;
  const generators = startGenerators(config.generators, config.openFiles);
  try {
    await config.onServer?.(url);
    // Slides to move through: livedeck checks positions against its deck; the reference takes any.
    const deckSlides = isLivedeck(config.target) ? ((await (await fetch(`${url}/api/talk`)).json()) as { outline: unknown[] }).outline.length : 10;
    const parts = shards(config.n, config.generators);
    const maxChat = config.chat?.messages ?? 0;
    await Promise.all(
      generators.map((generator, index) =>
        generator.request({
          op: 'init',
          init: {
            url,
            ...parts[index]!,
            kind: config.kind,
            concurrency: Math.max(1, Math.round(config.concurrency / config.generators)),
            maxSlides: config.slides,
            maxChat,
            ...(index === 0 ? { presenterToken: token } : {}),
          },
        }),
      ),
    );
    const baseline = await server.request<MemoryReport>({ op: 'memory' });
    // Only the presenter is connected yet: the worker holding a session is the presenter's.
    const presenterWorker =
      config.target === 'workers'
        ? Math.max(
            0,
            (await server.request<number[]>({ op: 'spread' })).findIndex((count) => count > 0),
          )
        : 0;
    const meter = new CpuMeter(cpu, generators);
    const ours = () =>
      cpu.cpuMs() + generators.reduce((sum, child) => sum + child.cpuMs(), 0) + process.cpuUsage().user / 1000 + process.cpuUsage().system / 1000;
    const machineBefore = machineCpuMs();
    const oursBefore = ours();
    const phases: NonNullable<ScenarioResult['phases']> = [];
    let phaseStart = 0;
    const mark = async (name?: string) => {
      if (!config.cpuProfDir) return;
      const us = await server.request<number>({ op: 'mark' });
      if (name) phases.push({ name, startUs: phaseStart, endUs: us });
      phaseStart = us;
    };
    await mark();
    const redisBeforeJoin = await redisCalls?.();

    // ---------------------------------------------------------------- join storm
    const joins = await Promise.all(generators.map((generator) => generator.request<JoinResult>({ op: 'join' }, 180_000)));
    const joinCpu = meter.take();
    await mark('join storm');
    const redisAfterJoin = await redisCalls?.();
    const latencies = joins.flatMap((join) => Array.from(join.latencies));
    const failures = joins.reduce((sum, join) => sum + join.failures, 0);
    const firstError = joins.find((join) => join.firstError)?.firstError;
    const totalMs = Math.max(...joins.map((join) => join.endAt)) - Math.min(...joins.map((join) => join.startAt));
    const join = {
      ...distribution(latencies),
      totalMs,
      connected: config.n - failures,
      failures,
      ...(firstError ? { firstError } : {}),
      serverCpuMsPerJoin: joinCpu.serverMs / Math.max(1, config.n - failures),
      cpu: joinCpu,
    };
    log(
      `  join: ${join.connected}/${config.n} in ${(totalMs / 1000).toFixed(2)} s, p99 ${join.p99.toFixed(0)} ms (server ${joinCpu.serverPct.toFixed(0)}% cpu${cpuParts(joinCpu)}, generators ${joinCpu.generatorPct.toFixed(0)}%)${firstError ? `; first failure: ${firstError}` : ''}`,
    );

    // ---------------------------------------------------------------- idle memory
    await sleep(config.idleMs);
    if (isLivedeck(config.target)) {
      // Settled: every phone has heard the final audience count, which livedeck sends to big rooms only
      // every few seconds; otherwise that broadcast lands in the middle of the fan-out below.
      const settled = await Promise.all(
        generators.map((generator) => generator.request<boolean>({ op: 'wait-audience', n: join.connected, timeoutMs: 20_000 })),
      );
      if (!settled.every(Boolean)) log('  (not every phone heard the final audience count within 20 s)');
    }
    const idle = await server.request<MemoryReport>({ op: 'memory' });
    const memory = {
      baseline,
      idle,
      rssPerClientKB: (idle.rss - baseline.rss) / 1024 / Math.max(1, join.connected),
      heapPerClientKB: (idle.heapUsed - baseline.heapUsed) / 1024 / Math.max(1, join.connected),
    };
    let workers: ScenarioResult['workers'];
    if (config.target === 'workers') {
      const counts = await server.request<number[]>({ op: 'spread' });
      const spread = [counts[presenterWorker]!, ...counts.filter((_count, index) => index !== presenterWorker)];
      const none = { total: NaN, xadd: NaN };
      workers = { count: spread.length, spread, redisPerJoin: none, redisPerSlide: none };
      log(`  sessions per worker: ${spread.join(' / ')} (presenter included)`);
    }
    log(`  memory: ${memory.rssPerClientKB.toFixed(1)} KB RSS per idle connection (heap ${memory.heapPerClientKB.toFixed(1)} KB)`);

    // ---------------------------------------------------------------- slide fan-out
    await mark();
    const redisBeforeFanout = await redisCalls?.();
    meter.reset();
    const fanoutSamples: number[] = [];
    const lastMs: number[] = [];
    const ackMs: number[] = [];
    let missing = 0;
    for (let index = 0; index < config.slides; index++) {
      const position = { h: 1 + (index % Math.max(1, deckSlides - 1)), v: 0, f: -1 };
      const sent = await generators[0]!.request<SlideSent>({ op: 'slide', position });
      if (!sent.ok) throw new Error(`slide:set refused at slide ${index}`);
      ackMs.push(sent.ackAt - sent.sentAt);
      const received = await Promise.all(generators.map((generator) => generator.request<SlideTimes>({ op: 'wait-slide', index, timeoutMs: 20_000 })));
      let last = 0;
      for (const { times } of received) {
        for (const at of times) {
          if (!Number.isFinite(at)) continue;
          fanoutSamples.push(at - sent.sentAt);
          last = Math.max(last, at - sent.sentAt);
        }
      }
      missing += join.connected - received.reduce((sum, { times }) => sum + times.filter(Number.isFinite).length, 0);
      lastMs.push(last);
      await sleep(200);
    }
    const fanoutCpu = meter.take();
    await mark('slide fan-out');
    if (workers && redisBeforeJoin && redisAfterJoin && redisBeforeFanout) {
      workers.redisPerJoin = commandsBetween(redisBeforeJoin, redisAfterJoin, join.connected);
      workers.redisPerSlide = commandsBetween(redisBeforeFanout, await redisCalls!(), config.slides);
      log(
        `  redis-server commands: ${workers.redisPerJoin.total.toFixed(1)} per join (${workers.redisPerJoin.xadd.toFixed(1)} stream appends), ${workers.redisPerSlide.total.toFixed(1)} per slide (${workers.redisPerSlide.xadd.toFixed(1)})`,
      );
      const named = (commands: RedisCommands) =>
        Object.entries(commands.byName ?? {})
          .filter(([, calls]) => calls >= 0.05)
          .map(([name, calls]) => `${name} ${calls.toFixed(1)}`)
          .join(', ');
      log(`    per join: ${named(workers.redisPerJoin)}`);
      log(`    per slide: ${named(workers.redisPerSlide)}`);
    }
    const fanout = {
      ...distribution(fanoutSamples),
      slides: config.slides,
      missing,
      lastMs,
      ackP50: distribution(ackMs).p50,
      serverCpuMsPerSlide: fanoutCpu.serverMs / config.slides,
      cpu: fanoutCpu,
    };
    log(
      `  fan-out: p50 ${fanout.p50.toFixed(1)} ms, p99 ${fanout.p99.toFixed(1)} ms, max ${fanout.max.toFixed(1)} ms (server ${fanoutCpu.serverPct.toFixed(0)}% cpu${cpuParts(fanoutCpu)}, generators ${fanoutCpu.generatorPct.toFixed(0)}%)`,
    );

    // ---------------------------------------------------------------- chat delivery
    let chat: ScenarioResult['chat'];
    if (config.chat) {
      await mark();
      meter.reset();
      const schedule = chatSchedule(config.chat, config.n, now() + 300);
      const sentPerGenerator = await Promise.all(
        generators.map((generator, index) => {
          const { offset, count } = parts[index]!;
          const sends = schedule.filter((send) => send.client >= offset && send.client < offset + count);
          return generator.request<ChatSent[]>({ op: 'chat', sends }, 120_000);
        }),
      );
      const sent = sentPerGenerator.flat();
      const sentAtById = new Map<number, number>();
      const refused: Record<string, number> = {};
      for (const message of sent) {
        if (message.id !== null) sentAtById.set(message.id, message.sentAt);
        else refused[message.error ?? 'refused'] = (refused[message.error ?? 'refused'] ?? 0) + 1;
      }
      const delivered = sentAtById.size;
      const results = await Promise.all(generators.map((generator) => generator.request<ChatTimes>({ op: 'wait-chat', count: delivered, timeoutMs: 30_000 })));
      const chatCpu = meter.take();
      await mark('chat');
      const samples: number[] = [];
      results.forEach((result, index) => {
        const count = parts[index]!.count;
        result.order.forEach((id, k) => {
          const sentAt = sentAtById.get(id);
          if (sentAt === undefined) return;
          for (let i = 0; i < count; i++) {
            const at = result.times[k * count + i]!;
            if (Number.isFinite(at)) samples.push(at - sentAt);
          }
        });
      });
      const firstSent = Math.min(...sent.map((message) => message.sentAt).filter(Number.isFinite));
      const lastAt = Math.max(...results.map((result) => result.lastAt));
      const durationMs = lastAt - firstSent;
      chat = {
        ...distribution(samples),
        scheduled: config.chat.messages,
        delivered,
        refused,
        complete: results.every((result) => result.complete),
        ratePerSecond: config.chat.ratePerSecond,
        chatters: Math.min(config.chat.chatters, config.n),
        durationMs,
        throughput: (delivered * 1000) / durationMs,
        deliveriesPerSecond: (samples.length * 1000) / durationMs,
        cpu: chatCpu,
      };
      log(
        `  chat: ${delivered}/${config.chat.messages} messages to all at ${chat.throughput.toFixed(1)}/s (${Math.round(chat.deliveriesPerSecond)} deliveries/s), p99 ${chat.p99.toFixed(1)} ms (server ${chatCpu.serverPct.toFixed(0)}% cpu)`,
      );
    }

    const machineAfter = machineCpuMs();
    const otherLoadPct = Math.max(0, (100 * (machineAfter.busy - machineBefore.busy - (ours() - oursBefore))) / (machineAfter.total - machineBefore.total));
    if (otherLoadPct > 10) log(`  (other processes used ${otherLoadPct.toFixed(0)}% of the machine meanwhile)`);
    await Promise.all(generators.map((generator) => generator.request({ op: 'close' }, 60_000).catch(() => undefined)));
    return {
      target: config.target,
      n: config.n,
      kind: config.kind,
      generators: config.generators,
      ...(workers ? { workers } : {}),
      join,
      memory,
      fanout,
      ...(chat ? { chat } : {}),
      wallMs: now() - began,
      otherLoadPct,
      ...(config.cpuProfDir ? { phases } : {}),
    };
  } finally {
    for (const generator of generators) generator.kill();
    await Promise.all(generators.map((generator) => generator.stopped(5_000)));
    await stop();
  }
}
