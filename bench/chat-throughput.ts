/**
 * The chat micro-benchmark (issue "Durable talks"): messages per second one
 * livedeck process can persist (SQLite, group commit, synchronous=FULL) and
 * broadcast to K listening phones, beside variants run on the same server
 * in the same run, so that the figures are read as ratios:
 *   - group commit + broadcast: the real chat path, many senders at once;
 *   - persist only: the same without listeners (what the disk path allows);
 *   - per-message commit: one sender at a time, so every message is its own
 *     transaction and fsync (what group commit saves);
 *   - broadcast only: no disk at all (what the sockets allow).
 */
import type { ChatBurstResult, ChatBurstSpec, ChatTimes, JoinResult } from './messages.js';
import { startGenerators, startServer } from './scenario.js';

export interface ChatVariantResult {
  name: string;
  label: string;
  spec: ChatBurstSpec;
  listeners: number;
  sent: number;
  /** Persisted (and broadcast, if it is) per second, measured in the server. */
  serverRate: number;
  /** Messages per second until the last listener had the last one; NaN without broadcast. */
  deliveredRate: number;
  complete: boolean;
  serverCpuPct: number;
  /** Messages per second of server CPU time: what the figure would be with a core to itself. */
  perCpuSecond: number;
}

export interface ChatThroughput {
  listeners: number;
  durationMs: number;
  rounds: number;
  /** Each variant's better round. */
  variants: ChatVariantResult[];
  allRounds: ChatVariantResult[][];
}

export async function runChatThroughput(options: {
  listeners: number;
  durationMs: number;
  concurrency: number;
  rounds: number;
  log: (line: string) => void;
}): Promise<ChatThroughput> {
  const { durationMs, concurrency } = options;
  const variants: Array<Pick<ChatVariantResult, 'name' | 'label' | 'spec'>> = [
    { name: 'group', label: 'group commit + broadcast', spec: { durationMs, concurrency, persist: true, broadcast: true } },
    { name: 'persist', label: 'persist only (no listeners)', spec: { durationMs, concurrency, persist: true, broadcast: false } },
    { name: 'per-message', label: 'per-message commit + broadcast', spec: { durationMs, concurrency: 1, persist: true, broadcast: true } },
    { name: 'broadcast', label: 'broadcast only (no disk)', spec: { durationMs, concurrency, persist: false, broadcast: true } },
  ];
  const { server, url, stop } = await startServer('livedeck');
  const [generator] = startGenerators(1);
  try {
    await generator!.request({
      op: 'init',
      init: { url, offset: 0, count: options.listeners, kind: 'wire', concurrency: 200, maxSlides: 0, maxChat: 0 },
    });
    const joined = await generator!.request<JoinResult>({ op: 'join' });
    const listeners = options.listeners - joined.failures;
    let broadcastSoFar = 0;
    const measure = async (variant: (typeof variants)[number]): Promise<ChatVariantResult> => {
      const cpuBefore = server.cpuMs();
      const burst = await server.request<ChatBurstResult>({ op: 'chat-burst', spec: variant.spec }, 60_000);
      const cpuMs = server.cpuMs() - cpuBefore;
      let deliveredRate = NaN;
      let complete = true;
      if (variant.spec.broadcast) {
        broadcastSoFar += burst.sent;
        const delivered = await generator!.request<ChatTimes>({ op: 'wait-chat', count: broadcastSoFar, timeoutMs: 60_000 });
        complete = delivered.complete;
        deliveredRate = (burst.sent * 1000) / (delivered.lastAt - burst.startAt);
      }
      return {
        ...variant,
        listeners: variant.spec.broadcast ? listeners : 0,
        sent: burst.sent,
        serverRate: (burst.sent * 1000) / (burst.endAt - burst.startAt),
        deliveredRate,
        complete,
        serverCpuPct: (100 * cpuMs) / (burst.endAt - burst.startAt),
        perCpuSecond: (burst.sent * 1000) / Math.max(1, cpuMs),
      };
    };
    // Untimed warm-up: the first commits of a fresh database and the first broadcasts are not typical.
    await measure({ ...variants[0]!, spec: { ...variants[0]!.spec, durationMs: 300 } });
    // Each variant twice, interleaved, keeping its better round: the disk and the CPUs are shared
    // with other work, and a stall in one round says more about the neighbours than about livedeck.
    const rounds: ChatVariantResult[][] = [];
    for (let round = 0; round < options.rounds; round++) {
      const results: ChatVariantResult[] = [];
      for (const variant of variants) results.push(await measure(variant));
      rounds.push(results);
    }
    const best = variants.map((_, index) => rounds.map((results) => results[index]!).reduce((a, b) => (b.serverRate > a.serverRate ? b : a)));
    for (const result of best) {
      options.log(
        `  ${result.label}: ${Math.round(result.serverRate)} msg/s persisted${result.spec.broadcast ? `, ${Math.round(result.deliveredRate)} msg/s delivered to all ${listeners}` : ''} (server ${result.serverCpuPct.toFixed(0)}% cpu)`,
      );
    }
    await generator!.request({ op: 'close' }).catch(() => undefined);
    return { listeners, durationMs, rounds: options.rounds, variants: best, allRounds: rounds };
  } finally {
    generator!.kill();
    await generator!.stopped(5_000);
    await stop();
  }
}
