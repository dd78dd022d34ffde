/** livedeck as a real child process (npm start's entry point), for crash and restart tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../demo-server/options.js';
import { TEST_TOKEN } from './helpers.js';

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
