/**
 * `npm start -- --workers N` (or LIVEDECK_WORKERS=N): N livedeck processes
 * on one machine behind one port.
 *
 * The primary (this module) owns the port and hands each connection to a
 * worker with Socket.IO's sticky helper: a Socket.IO session (its `sid`)
 * always lands on the worker that opened it, which HTTP long-polling needs;
 * new sessions go to the serving worker with the fewest. A worker starting
 * (in place of one that died, say) is offered none until it reports that it
 * serves; while none serves, new connections wait here. The workers are ordinary
 * livedeck servers (createServer with `clusterWorker`) that share the talk
 * through Redis, so REDIS_URL is required. A worker that dies is replaced;
 * its phones reconnect to the others and lose nothing acknowledged.
 */
import cluster, { type Worker } from 'node:cluster';
import { EventEmitter } from 'node:events';
import type http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { setupMaster, setupWorker } from '@socket.io/sticky';
import type { Socket as EngineSocket } from 'engine.io';
import type { Logger } from 'pino';
import type { Server as SocketIoServer } from 'socket.io';
import { errorFacts, ServingErrors } from './net/serving-errors.js';
import type { ServerOptions } from './options.js';

/** A wrong worker setup, reported as one line at start. */
export class WorkersError extends Error {
  override name = 'WorkersError';
}

/** What a worker tells the primary once it serves; the primary prints it once for all. */
export interface WorkerReady {
  type: 'livedeck:ready';
  /** The live talk's title; null when none is. */
  title: string | null;
  joinUrls: string[];
  presenterUrl: string;
}

/** How many of the connections the primary handed a worker have closed, a few times a second while it changes. */
interface ClosedConnections {
  type: 'livedeck:closed';
  count: number;
}

/** A new presenter token for every worker (SIGUSR2 on the primary). */
interface RotateToken {
  type: 'livedeck:rotate-token';
  token: string;
}

export const isClusterWorker = cluster.isWorker;
/** A worker that dies within this long of its start is not restarted in a loop: the primary stops instead. */
export const CRASH_LOOP_MS = 5000;
/** How soon the primary tries again to start a worker it could not (at the open-file limit, say). */
const RESTART_RETRY_MS = 1000;
/** How often a worker tells the primary how many of its connections closed, when that changed. */
const CLOSED_REPORT_MS = 200;
/**
 * How long a new connection waits in the primary while no worker serves, before it is answered 503. A worker
 * starts in a few seconds (up to 40 s on a loaded machine); a phone's Socket.IO client gives up on a connection
 * after 20 s and opens another, so holding one much longer only keeps a file open for nobody.
 */
const HOLD_WITHOUT_WORKER_MS = 30_000;
/** What a connection held too long gets: try again shortly, as a proxy with no backend up would say. */
const NO_WORKER_RESPONSE = 'HTTP/1.1 503 Service Unavailable\r\nRetry-After: 2\r\nConnection: close\r\nContent-Length: 0\r\n\r\n';

/** `--workers N`, `--workers=N` or LIVEDECK_WORKERS; 0 means one plain process. */
export function requestedWorkers(args: readonly string[], env: NodeJS.ProcessEnv): number {
  let raw = env.LIVEDECK_WORKERS;
  args.forEach((arg, index) => {
    if (arg === '--workers') raw = args[index + 1] ?? '';
    else if (arg.startsWith('--workers=')) raw = arg.slice('--workers='.length);
  });
  if (raw === undefined || raw === '') return 0;
  const count = Number(raw);
  if (!Number.isInteger(count) || count < 1 || count > 64) throw new WorkersError(`--workers must be 1–64, got "${raw}"`);
  return count;
}

/** The arguments without `--workers N`, so that N is not taken for a talk file. */
export function withoutWorkerArgs(args: readonly string[]): string[] {
  return args.filter((arg, index) => arg !== '--workers' && !arg.startsWith('--workers=') && args[index - 1] !== '--workers');
}

export interface Primary {
  ready: WorkerReady;
  /** The port the primary listens on. */
  port: number;
  /** Stops every worker (SIGTERM; they drain like a single process) and the port. */
  stop(): Promise<void>;
  /** Sends a new presenter token to every worker. */
  rotateToken(token: string): void;
}

/** Workers share the talk through Redis: without REDIS_URL there is nothing to start. */
export function checkWorkerOptions(options: ServerOptions): void {
  if (!options.redisUrl) {
    throw new WorkersError('--workers needs REDIS_URL (the workers share the talk through Redis); see docs/deploy.md');
  }
}

export async function startPrimary(options: ServerOptions, workers: number, logger: Logger): Promise<Primary> {
  checkWorkerOptions(options);
  // What the primary meets while serving is logged, never fatal (net/serving-errors.ts).
  const errors = new ServingErrors(logger);
  // A plain TCP server: the sticky helper reads each connection's first bytes itself, so an HTTP parser
  // per connection (what an http.Server sets up, and the helper takes away) would be work for nothing.
  // Connections start paused: one that waits for a worker (below) stays unread, its bytes in the kernel.
  const server = net.createServer({ pauseOnConnect: true });
  /** The workers that have reported that they serve (`livedeck:ready`) and are still connected. */
  const serving = new Set<Worker>();
  // The sticky helper listens here rather than on the server: it sees a connection only when a worker can take it.
  const handOffs = new EventEmitter();
  setupMaster(handOffs as unknown as http.Server, { loadBalancingMethod: 'least-connection' });
  const handOff = (socket: net.Socket) => {
    handOffs.emit('connection', socket);
    socket.resume();
  };
  const waiting = waitForServingWorker(handOff);
  server.on('connection', (socket: net.Socket) => {
    // The helper relays a request with a body and its reply through this process; a client that hangs up
    // meanwhile makes the write fail, and an unhandled socket error would take the primary and every phone
    // down (an http.Server would have handled it).
    socket.on('error', () => socket.destroy());
    if (serving.size > 0) handOff(socket);
    else waiting.hold(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // An accept that fails (EMFILE at the open-file limit) is an 'error' on the listening server: unheard, it ends the process.
  server.on('error', (error) => errors.report('accept', error));
  const port = (server.address() as AddressInfo).port;
  // "advanced": the sticky helper sends raw request bytes, which JSON would turn into arrays.
  cluster.setupPrimary({ serialization: 'advanced' });
  // Every worker must hold the same token, and serve the port the primary listens on.
  const env = { PORT: String(port), HOST: options.host, LIVEDECK_PRESENTER_TOKEN: options.presenterToken };

  let stopping = false;
  /** Once the first workers serve: a worker that serves from then on is a replacement, worth a line in the log. */
  let running = false;
  let token = options.presenterToken;
  const started = new Map<Worker, number>();
  /** Set while the first workers start: a worker that cannot start then fails the start. */
  let failStart: ((error: unknown) => void) | undefined;
  let retry: NodeJS.Timeout | undefined;
  const fork = () => {
    const worker = cluster.fork({ ...env, LIVEDECK_PRESENTER_TOKEN: token });
    started.set(worker, Date.now());
    worker.on('message', (message: unknown) => {
      if ((message as WorkerReady | undefined)?.type !== 'livedeck:ready') return;
      serving.add(worker);
      if (running) logger.info({ worker: worker.process.pid }, 'the new worker serves');
      waiting.release();
    });
    // Gone as soon as either is seen: node:cluster lists a worker until it has both exited and disconnected.
    const gone = () => serving.delete(worker);
    worker.once('disconnect', gone);
    worker.once('exit', gone);
    balanceOnOpenConnections(worker, () => serving.has(worker));
    worker.on('error', (error) => onWorkerError(worker, error));
    handOverUnread(worker);
    return worker;
  };
  /** Starts a worker in place of one gone; one that cannot start now (EMFILE) is tried again shortly. */
  const replace = () => {
    retry = undefined;
    if (stopping) return;
    try {
      fork();
    } catch (error) {
      couldNotStart(error);
    }
  };
  const couldNotStart = (error: unknown) => {
    errors.report('worker-start', error);
    retry ??= setTimeout(replace, RESTART_RETRY_MS);
  };
  // A worker's 'error' is either a start that failed (no process: EMFILE, EAGAIN) or a message it could not take
  // (its channel closing as it exits; its 'exit' replaces it). Unheard, either would end the primary.
  const onWorkerError = (worker: Worker, error: Error) => {
    if (worker.process.pid !== undefined) return errors.report('worker-ipc', error);
    // A worker that never started never exits either, so node:cluster keeps it listed and the sticky helper would
    // keep handing it connections: it goes from the list here.
    delete cluster.workers?.[worker.id];
    started.delete(worker);
    if (failStart) failStart(error);
    else couldNotStart(error);
  };

  const ready = await new Promise<WorkerReady>((resolve, reject) => {
    const pending = new Set<Worker>();
    let first: WorkerReady | undefined;
    const onMessage = (worker: Worker, message: unknown) => {
      if ((message as WorkerReady | undefined)?.type !== 'livedeck:ready' || !pending.delete(worker)) return;
      first ??= message as WorkerReady;
      if (pending.size === 0) {
        cluster.off('message', onMessage);
        cluster.off('exit', onEarlyExit);
        resolve(first);
      }
    };
    const giveUp = (reason: string) => {
      cluster.off('message', onMessage);
      cluster.off('exit', onEarlyExit);
      failStart = undefined;
      stopping = true;
      for (const other of Object.values(cluster.workers ?? {})) other?.kill('SIGKILL');
      server.close();
      waiting.drop();
      reject(new WorkersError(reason));
    };
    const onEarlyExit = (worker: Worker, code: number | null) => {
      // The worker printed its own one-line reason to the shared stderr.
      if (pending.has(worker)) giveUp(`a worker exited with ${code} while starting`);
    };
    failStart = (error) => {
      const { code, message } = errorFacts(error);
      giveUp(`a worker could not be started (${code}: ${message})${code === 'EMFILE' ? '; raise the open-file limit (ulimit -n)' : ''}`);
    };
    cluster.on('message', onMessage);
    cluster.on('exit', onEarlyExit);
    for (let index = 0; index < workers; index++) pending.add(fork());
  });
  failStart = undefined;
  running = true;

  cluster.on('exit', (worker, code, signal) => {
    const startedAt = started.get(worker) ?? 0;
    started.delete(worker);
    if (stopping) return;
    const facts = { worker: worker.process.pid, exit: signal ?? code };
    if (Date.now() - startedAt < CRASH_LOOP_MS) {
      logger.error(facts, 'a worker died right after starting; not restarting it');
      return;
    }
    logger.warn(facts, 'a worker died; starting another');
    replace();
  });

  return {
    ready,
    port,
    rotateToken(next) {
      token = next;
      const message: RotateToken = { type: 'livedeck:rotate-token', token: next };
      for (const worker of Object.values(cluster.workers ?? {})) worker?.send(message);
    },
    async stop() {
      stopping = true;
      clearTimeout(retry);
      server.close();
      waiting.drop();
      const exits = Object.values(cluster.workers ?? {}).map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (!worker || worker.isDead()) return resolve();
            worker.once('exit', () => resolve());
            // A plain SIGTERM: the worker drains like a single process (worker.kill would cut its IPC first).
            worker.process.kill('SIGTERM');
          }),
      );
      await Promise.all(exits);
    },
  };
}

/**
 * What the sticky helper's least-connection balancing reads for a worker
 * (`clientsCount`): the connections handed to it that are still open, from
 * the primary's own count of hand-offs and the worker's count of those that
 * closed. Counted as they are handed, so a join storm (hundreds between two
 * reports) spreads evenly; a phone on WebSocket is one connection, one on
 * long-polling one request at a time. The helper's own updates are ignored.
 *
 * A worker that does not serve yet counts as full (Infinity): a replacement
 * starts with none open, so the fewest-first rule would otherwise send it
 * most of the phones reconnecting after a crash, to wait unanswered until it
 * loads (or be lost, if they arrive before it listens for hand-offs). The
 * primary hands a connection over only while some worker serves, so the
 * helper always has a serving one to pick, and the rule is kept among them.
 */
function balanceOnOpenConnections(worker: Worker, serves: () => boolean): void {
  let handed = 0;
  let closed = 0;
  Object.defineProperty(worker, 'clientsCount', {
    get: () => (serves() ? handed - closed : Number.POSITIVE_INFINITY),
    set: () => undefined,
  });
  worker.on('message', (message: unknown) => {
    const report = message as ClosedConnections | undefined;
    if (report?.type === 'livedeck:closed') closed = report.count;
  });
  interceptHandOffs(worker, () => handed++);
}

/**
 * New connections while no worker serves: at start, or when every worker
 * died at once and their replacements load. Handing them to a worker that
 * is still loading would lose them (it has no one listening for hand-offs
 * yet: the phone waits 20 s for nothing, then tries again), and refusing
 * them at once would send every phone of the room into its back-off for a
 * gap of a few seconds. So they wait here, unread, and go to the first
 * worker that reports it serves, in the order they came; one that waits
 * longer than HOLD_WITHOUT_WORKER_MS gets a 503 (try again). Unread, a
 * connection whose client gave up shows it only once read: on release it
 * closes before the helper picks a worker for it.
 */
function waitForServingWorker(handOff: (socket: net.Socket) => void) {
  const held = new Map<net.Socket, NodeJS.Timeout>();
  const refuse = (socket: net.Socket) => {
    held.delete(socket);
    // Read and thrown away, so that the close after the answer is a clean one, not a reset over unread bytes.
    socket.resume();
    socket.once('finish', () => socket.destroy());
    socket.end(NO_WORKER_RESPONSE);
  };
  return {
    hold(socket: net.Socket) {
      held.set(
        socket,
        setTimeout(() => refuse(socket), HOLD_WITHOUT_WORKER_MS),
      );
      socket.once('close', () => {
        clearTimeout(held.get(socket));
        held.delete(socket);
      });
    },
    /** A worker serves: every connection waiting goes on. */
    release() {
      for (const [socket, timer] of held) {
        clearTimeout(timer);
        held.delete(socket);
        handOff(socket);
      }
    },
    /** The primary stops: nobody will take them. */
    drop() {
      for (const [socket, timer] of held) {
        clearTimeout(timer);
        socket.destroy();
      }
      held.clear();
    },
  };
}

/**
 * A socket handed to a worker is read by this process no further. Node
 * passes the handle and closes this process's copy only once the worker
 * acknowledges it, and until then that copy keeps reading and throws away
 * what it reads (nodejs/node#8353): a WebSocket phone's first frame (its
 * Socket.IO connect packet, sent as soon as the worker's 101 arrives) or
 * the rest of a request read in two parts was lost that way, and the
 * connection stayed open without ever joining (docs/performance.md).
 * Stopped, the bytes stay in the kernel for the worker, in order after the
 * first chunk the helper passes along. Node offers no public way to stop
 * reading a socket it has started to read (`pause()` only stops `data`
 * events): this is the `readStop` a socket calls on itself when its buffer
 * is full.
 */
function handOverUnread(worker: Worker): void {
  interceptHandOffs(worker, (socket) => (socket as unknown as { _handle?: { readStop(): number } | null })._handle?.readStop());
}

/** Calls `onHandOff` with each socket the sticky helper hands `worker`, just before it goes. */
function interceptHandOffs(worker: Worker, onHandOff: (socket: net.Socket) => void): void {
  const send = worker.send.bind(worker) as (...args: unknown[]) => boolean;
  (worker as { send: (...args: unknown[]) => boolean }).send = (...args: unknown[]) => {
    if ((args[0] as { type?: string } | undefined)?.type === 'sticky:connection' && args[1] instanceof net.Socket) onHandOff(args[1]);
    return send(...args);
  };
}

/**
 * In a worker: serves the connections the primary hands over (the sticky
 * helper's worker side), telling the primary only what it needs. The helper
 * reports every Engine.IO session as it opens and as it closes: two IPC
 * messages per phone, each serialized by one process and parsed by the
 * other (docs/performance.md). The primary needs a session's id only to
 * route its later HTTP requests, and only a session that started over
 * long-polling makes any (one opened as a WebSocket sends no other request);
 * to balance, it needs only how many of the connections it handed over
 * have closed, which a count a few times a second gives it.
 */
export function serveFromPrimary(io: SocketIoServer): void {
  const pollingSessions = new EventEmitter();
  io.engine.on('connection', (socket: EngineSocket) => {
    if (socket.transport.name === 'polling') pollingSessions.emit('connection', socket);
  });
  setupWorker({ httpServer: io.httpServer, engine: pollingSessions } as unknown as SocketIoServer);
  let closed = 0;
  const onClose = () => closed++;
  process.on('message', (message: unknown, handle: unknown) => {
    if ((message as { type?: string } | undefined)?.type !== 'sticky:connection') return;
    // A connection that closed on its way over arrives without its handle: it counts as closed at once.
    if (handle instanceof net.Socket) handle.once('close', onClose);
    else onClose();
  });
  let reported = 0;
  setInterval(() => {
    if (closed === reported || !process.connected) return;
    reported = closed;
    const report: ClosedConnections = { type: 'livedeck:closed', count: closed };
    process.send?.(report);
  }, CLOSED_REPORT_MS).unref();
}

/** In a worker: tells the primary this worker serves, and takes new tokens from it. */
export function reportWorkerReady(ready: Omit<WorkerReady, 'type'>, rotate: (token: string) => void): void {
  const message: WorkerReady = { type: 'livedeck:ready', ...ready };
  process.send?.(message);
  process.on('message', (received: unknown) => {
    const rotation = received as RotateToken | undefined;
    if (rotation?.type === 'livedeck:rotate-token') rotate(rotation.token);
  });
}
