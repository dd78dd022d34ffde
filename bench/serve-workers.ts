/**
 * livedeck as `npm start -- --workers N` runs it, for the benchmark: this
 * process is the cluster primary (demo-server/cluster.ts `startPrimary`: it
 * owns one port on 127.0.0.1 and hands each new connection to the worker
 * with the fewest, through Socket.IO's sticky helper), and N workers are
 * createServer({ clusterWorker: true }) sharing the talk through one Redis.
 * Only the CLI around them differs from `npm start`: no build check (the
 * benchmark measures the dist/ that is there), silent logs, and the
 * per-address connection caps lifted as bench/serve.ts lifts them, in every
 * worker (each phone comes from 127.0.0.1).
 *
 * The orchestrator asks the primary over IPC, as it asks bench/serve.ts:
 * memory (each worker's, after a full GC, summed) and the phones per worker.
 *
 * Run as: node --expose-gc --import tsx bench/serve-workers.ts <workers> <redis-url>
 * (the workers run this same file; node:cluster starts them with its argv and execArgv).
 */
import cluster, { type Worker } from 'node:cluster';
import crypto from 'node:crypto';
import { reportWorkerReady, startPrimary } from '../demo-server/cluster.js';
import { createLogger } from '../demo-server/logger.js';
import { defaultOptions, type ServerOptions } from '../demo-server/options.js';
import type { MemoryReport, ServerReady, ServerRequest } from './messages.js';
import { answerRequests } from './messages.js';

const workers = Number(process.argv[2]);
const redisUrl = process.argv[3]!;

/** As in bench/serve.ts: above the largest N, so all of 127.0.0.1 fits on any one worker. */
const PER_ADDRESS_CAP = 15_000;

const gc = (globalThis as { gc?: () => void }).gc;

interface MemoryAsk {
  type: 'bench:memory';
  id: number;
}
interface MemoryAnswer {
  type: 'bench:memory';
  id: number;
  memory: MemoryReport;
}

function memory(): MemoryReport {
  gc?.();
  gc?.();
  const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
  return { rss, heapUsed, external, arrayBuffers };
}

const common = (): Partial<ServerOptions> => ({
  host: '127.0.0.1',
  logLevel: 'silent',
  redisUrl,
  maxConnectionsPerIp: PER_ADDRESS_CAP,
  newClientsPerIpPerMinute: PER_ADDRESS_CAP,
  maxPendingConnectionsPerIp: PER_ADDRESS_CAP,
  maxIdentitiesPerIp: PER_ADDRESS_CAP,
  httpRequestsPerIp: PER_ADDRESS_CAP,
});

async function runWorker(): Promise<void> {
  const { createServer } = await import('../demo-server/server.js');
  // The primary passes the port it listens on and the token, as it does for `npm start -- --workers N`.
  const server = await createServer({
    ...common(),
    port: Number(process.env.PORT),
    presenterToken: process.env.LIVEDECK_PRESENTER_TOKEN!,
    clusterWorker: true,
  });
  process.on('message', (message: unknown) => {
    const ask = message as MemoryAsk | undefined;
    if (ask?.type !== 'bench:memory') return;
    const answer: MemoryAnswer = { type: 'bench:memory', id: ask.id, memory: memory() };
    process.send!(answer);
  });
  // exit() rather than the signal's default, so that a worker run under --cpu-prof writes its profile.
  process.on('SIGTERM', () => process.exit(0));
  reportWorkerReady({ title: server.room.talk.title, joinUrls: server.joinUrls, presenterUrl: server.presenterUrl }, (token) =>
    server.rotatePresenterToken(token),
  );
}

const liveWorkers = (): Worker[] => Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined);

let nextAsk = 1;
function workerMemory(worker: Worker): Promise<MemoryReport> {
  const id = nextAsk++;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      worker.off('message', onMessage);
      reject(new Error(`worker ${worker.process.pid} did not report its memory`));
    }, 30_000);
    const onMessage = (message: unknown) => {
      const answer = message as MemoryAnswer | undefined;
      if (answer?.type !== 'bench:memory' || answer.id !== id) return;
      clearTimeout(timer);
      worker.off('message', onMessage);
      resolve(answer.memory);
    };
    worker.on('message', onMessage);
    const ask: MemoryAsk = { type: 'bench:memory', id };
    worker.send(ask);
  });
}

async function runPrimary(): Promise<void> {
  const token = crypto.randomBytes(16).toString('base64url');
  const options = { ...defaultOptions(), ...common(), port: 0, presenterToken: token };
  const primary = await startPrimary(options, workers, createLogger('warn', 'json', process.stderr));
  const port = Number(new URL(primary.ready.joinUrls[0]!).port);
  const ready: ServerReady = { op: 'ready', port, token, pids: [process.pid, ...liveWorkers().map((worker) => worker.process.pid!)] };
  process.send!(ready);

  const answer = async (request: ServerRequest): Promise<unknown> => {
    switch (request.op) {
      case 'memory': {
        const reports = await Promise.all(liveWorkers().map(workerMemory));
        const sum = (key: keyof MemoryReport) => reports.reduce((total, report) => total + report[key], 0);
        return { rss: sum('rss'), heapUsed: sum('heapUsed'), external: sum('external'), arrayBuffers: sum('arrayBuffers') };
      }
      case 'spread':
        // The sticky helper's own count of Socket.IO sessions per worker (what it balances on).
        return liveWorkers().map((worker) => (worker as Worker & { clientsCount?: number }).clientsCount ?? 0);
      case 'mark':
        return Number(process.hrtime.bigint() / 1000n);
      case 'chat-burst':
        throw new Error('the chat micro-benchmark runs on one process only');
      case 'stop':
        await primary.stop();
        setTimeout(() => process.exit(0), 10);
        return {};
    }
  };
  answerRequests(answer);
  // The orchestrator is gone: stop the workers with us (they also leave when their channel to us closes).
  process.on('disconnect', () => {
    primary.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

(cluster.isPrimary ? runPrimary() : runWorker()).catch((error: unknown) => {
  process.stderr.write(`bench ${cluster.isPrimary ? 'primary' : 'worker'} failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
