/** livedeck as a real child process (npm start's entry point), for crash and restart tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { PROJECT_ROOT } from '../demo-server/options.js';
import { closeAll, TEST_TOKEN, type TestClient } from './helpers.js';
import { startRedis, type TestRedis } from './redis-server.js';

/**
 * A hang guard, not a speed check: each process loads the whole server
 * (about 10 s at a load average of 16 on this 2-core machine). Under the
 * 180 s of the slowest test that starts processes, so it still says why.
 */
const READY_TIMEOUT_MS = 150_000;

/**
 * For a test that starts server processes: a bound for a hang, not for speed. Starts are sequential in some tests
 * (three refused starts, a restart after kill -9), and at a load average of 25 one start has taken 40 s.
 */
export const PROCESS_TEST_TIMEOUT = 240_000;

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

export interface ProcessLimits {
  /** The child's open-file limit (`ulimit -n`), set by the shell that starts it. */
  fileLimit?: number;
}

export function runServerProcess(env: Record<string, string>, args: string[] = [], limits: ProcessLimits = {}): ServerProcess & { ready: Promise<string> } {
  const command = [process.execPath, '--import', 'tsx', path.join(PROJECT_ROOT, 'demo-server/index.ts'), ...args];
  const [file, ...rest] =
    limits.fileLimit === undefined ? command : ['/bin/sh', '-c', `ulimit -n ${Math.floor(limits.fileLimit)} && exec "$0" "$@"`, ...command];
  const child = spawn(file!, rest, {
    cwd: PROJECT_ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LIVEDECK_PRESENTER_TOKEN: TEST_TOKEN, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // A test that fails or times out must not leave a server running on the machine.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const handle = { child, output: () => output, exited, url: '' };
  const ready = new Promise<string>((resolve, reject) => {
    const check = () => {
      const match = /Audience: open on your phones\s+(http:\/\/[^\s]+)\//.exec(output);
      if (match) {
        child.stdout!.off('data', check);
        handle.url = match[1]!;
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', check);
    void exited.then((code) => reject(new Error(`server exited with ${code} before it was ready:\n${output}`)));
    // A start that hangs fails with what the process printed (was it building the bundle?), not with a bare test timeout.
    setTimeout(() => reject(new Error(`server not ready after ${READY_TIMEOUT_MS / 1000} s:\n${output}`)), READY_TIMEOUT_MS).unref();
  });
  return Object.assign(handle, { ready });
}

export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const handle = runServerProcess(env);
  await handle.ready;
  return handle;
}

/** A describe block's redis-server and the livedeck processes sharing it (scaledOutFixture), there from its first beforeAll on. */
export interface ScaledOutFixture {
  readonly redis: TestRedis;
  /** The processes started in beforeAll, in order. */
  readonly servers: readonly ServerProcess[];
  /** Closed after the block's last test. */
  readonly sockets: TestClient[];
  /** Another process on the same Redis, with the same environment; killed after the block's last test. */
  start(): Promise<ServerProcess>;
  /** A process the test started itself (runServerProcess), killed with the others. */
  track<T extends ServerProcess>(server: T): T;
}

/**
 * The setup every scaled-out test shares: one real redis-server and `count`
 * livedeck processes (`REDIS_URL` plus `env`) for the whole describe block,
 * started before its own beforeAll hooks run (declare the fixture first);
 * after its last test, the sockets pushed to `sockets` close, every process
 * still running is killed and Redis goes.
 */
export function scaledOutFixture(env: Record<string, string> = {}, count = 2): ScaledOutFixture {
  let redis: TestRedis | undefined;
  const servers: ServerProcess[] = [];
  const sockets: TestClient[] = [];
  const started = (): TestRedis => {
    if (!redis) throw new Error('Redis starts in beforeAll: use the fixture inside a hook or a test');
    return redis;
  };
  const fixture: ScaledOutFixture = {
    get redis() {
      return started();
    },
    servers,
    sockets,
    async start() {
      return fixture.track(await startServerProcess({ REDIS_URL: started().url, ...env }));
    },
    track(server) {
      servers.push(server);
      return server;
    },
  };
  beforeAll(async () => {
    redis = await startRedis();
    // One after the other: should the bundle be stale, only one process rebuilds it.
    for (let i = 0; i < count; i++) await fixture.start();
  }, PROCESS_TEST_TIMEOUT);
  afterAll(async () => {
    closeAll(...sockets.splice(0));
    for (const server of servers) {
      if (server.child.exitCode === null) {
        server.child.kill('SIGKILL');
        await server.exited;
      }
    }
    await redis?.destroy();
  });
  return fixture;
}
