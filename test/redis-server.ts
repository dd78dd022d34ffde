/**
 * A real redis-server for tests: its own free port on 127.0.0.1, its own
 * temp directory, append-only file on (so a stop and start keeps the data,
 * like a production Redis with `appendonly yes`).
 *
 * A missing binary is a failure, never a skip: `npm test` installs
 * redis-server first when it can, or stops naming the command that does
 * (test/prerequisites.ts).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const REDIS_SERVER = process.env.REDIS_SERVER_BIN ?? 'redis-server';

export interface TestRedis {
  port: number;
  url: string;
  dir: string;
  /** Stops the server (SIGTERM by default; SIGKILL is a crash) and waits for it; the data stays in dir. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port and dir (after stop()). */
  start(): Promise<void>;
  /** Stops it and removes its directory. */
  destroy(): Promise<void>;
  output(): string;
}

/** Whether the redis-server binary runs (the benchmarks skip their Redis runs without it; tests fail). */
export function redisAvailable(): boolean {
  return spawnSync(REDIS_SERVER, ['--version']).status === 0;
}

/** A port that was free a moment ago (the kernel picks it; we release it for redis-server). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once the server answers PING on the port. */
async function waitForPing(port: number, child: ChildProcess, output: () => string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}:\n${output()}`);
    if (await ping(port)) return;
    if (Date.now() > deadline) throw new Error(`redis-server did not answer PING on ${port}:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let reply = '';
    socket.setTimeout(1000);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) {
        socket.destroy();
        resolve(reply.startsWith('+PONG'));
      }
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

export async function startRedis(): Promise<TestRedis> {
  if (!redisAvailable()) throw new Error(`${REDIS_SERVER} is missing: sudo apt-get install -y redis-server (npm test installs it when run as root)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'livedeck-redis-'));
  let child: ChildProcess | undefined;
  let log = '';
  let port = 0;

  const launch = async (): Promise<void> => {
    // A port can be taken between freePort() and the bind; try a few.
    for (let attempt = 0; ; attempt++) {
      port ||= await freePort();
      const started = spawn(
        REDIS_SERVER,
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      child = started;
      started.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()));
      started.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
      try {
        await waitForPing(port, started, () => log);
        return;
      } catch (error) {
        started.kill('SIGKILL');
        if (attempt >= 3 || !/Address already in use/.test(log)) throw error;
        port = 0;
      }
    }
  };

  const stop = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<void> => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill(signal);
    await exited;
  };

  await launch();
  return {
    get port() {
      return port;
    },
    get url() {
      return `redis://127.0.0.1:${port}`;
    },
    dir,
    stop,
    start: launch,
    async destroy() {
      await stop('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    },
    output: () => log,
  };
}
