/**
 * The server under test, alone in its process: livedeck through its real
 * factory (createServer on 127.0.0.1, port 0, a temp SQLite file, silent
 * logs), or the raw `ws` reference. The orchestrator asks it over IPC for
 * its memory (after a full GC) and, for the chat micro-benchmark, to persist
 * and broadcast messages as the chat handler does.
 *
 * With a Redis URL, livedeck keeps the talk in that Redis and broadcasts
 * through it (REDIS_URL), as one of several processes serving one talk; they
 * share the presenter token passed in BENCH_PRESENTER_TOKEN.
 *
 * Run as: node --expose-gc --import tsx bench/serve.ts <livedeck|reference> <db-dir> [redis-url]
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { LiveDeckServer } from '../demo-server/server.js';
import { chatBurst } from './chat-burst.js';
import type { LoopDelay, MemoryReport, ServerReady, ServerRequest, StoredIds, Target } from './messages.js';
import { answerRequests } from './messages.js';
import { startReferenceServer, type ReferenceServer } from './reference-ws-server.js';

const target = process.argv[2] as Target;
const dbDir = process.argv[3]!;
const redisUrl = process.argv[4];
const token = process.env.BENCH_PRESENTER_TOKEN ?? crypto.randomBytes(16).toString('base64url');

/** Above the largest N the benchmark opens (10,000), below the server's total cap. */
const PER_ADDRESS_CAP = 15_000;

const gc = (globalThis as { gc?: () => void }).gc;
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();

function takeLoopDelay(): LoopDelay {
  const report = { p50Ms: loopDelay.percentile(50) / 1e6, p99Ms: loopDelay.percentile(99) / 1e6, maxMs: loopDelay.max / 1e6 };
  loopDelay.reset();
  return report;
}

function memory(): MemoryReport {
  // Twice: the first pass can leave weakly held objects for the second.
  gc?.();
  gc?.();
  const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
  return { rss, heapUsed, external, arrayBuffers };
}

async function main(): Promise<void> {
  let livedeck: LiveDeckServer | undefined;
  let reference: ReferenceServer | undefined;
  if (target === 'livedeck') {
    // Imported here so that the reference's process does not load livedeck at all.
    const { createServer } = await import('../demo-server/server.js');
    livedeck = await createServer({
      host: '127.0.0.1',
      port: 0,
      dbFile: path.join(dbDir, 'bench.db'),
      ...(redisUrl ? { redisUrl } : {}),
      presenterToken: token,
      logLevel: 'silent',
      // Every simulated phone comes from 127.0.0.1: the per-address caps, sized for one conference NAT,
      // would refuse the room after the first few hundred. Per-person rate limits stay as they are.
      maxConnectionsPerIp: PER_ADDRESS_CAP,
      newClientsPerIpPerMinute: PER_ADDRESS_CAP,
      maxPendingConnectionsPerIp: PER_ADDRESS_CAP,
      maxIdentitiesPerIp: PER_ADDRESS_CAP,
      httpRequestsPerIp: PER_ADDRESS_CAP,
    });
  } else {
    reference = await startReferenceServer('127.0.0.1');
  }
  const ready: ServerReady = { op: 'ready', port: livedeck?.port ?? reference!.port, token };
  process.send!(ready);

  const answer = async (request: ServerRequest): Promise<unknown> => {
    switch (request.op) {
      case 'memory':
        return memory();
      case 'mark':
        return Number(process.hrtime.bigint() / 1000n);
      case 'loop':
        return takeLoopDelay();
      case 'stored': {
        if (!livedeck) throw new Error('the reference stores nothing');
        const { storage, sessionId } = livedeck.room;
        const stored: StoredIds = {
          chat: (await storage.chatSince(sessionId, 0, Number.MAX_SAFE_INTEGER)).map((message) => message.id),
          questions: (await storage.listQuestions(sessionId)).map((question) => question.id),
        };
        return stored;
      }
      case 'spread':
        throw new Error('one process: no workers to spread over');
      case 'chat-burst':
        if (!livedeck) throw new Error('the chat micro-benchmark runs on livedeck only');
        return chatBurst(livedeck, request.spec);
      case 'stop':
        await (livedeck ?? reference)!.close();
        // exit() (not a signal) so that --cpu-prof writes its profile.
        setTimeout(() => process.exit(0), 10);
        return {};
    }
  };
  answerRequests(answer);
}

process.on('disconnect', () => process.exit(0));
main().catch((error: unknown) => {
  process.stderr.write(`bench server (${target}) failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
