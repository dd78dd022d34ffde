/**
 * Child processes of the benchmark (server under test, load generators):
 * started with an IPC channel, asked things by request id, and watched
 * through /proc for their CPU time. Linux only, like the figures it reports.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
export const PROJECT_ROOT = path.resolve(BENCH_DIR, '..');

export const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** Soft and hard limits on open files, as a shell started from here sees them. */
export function fileLimits(): { soft: number; hard: number } {
  const read = (flag: string) => {
    const value = execFileSync('sh', ['-c', `ulimit ${flag}`], { encoding: 'utf8' }).trim();
    return value === 'unlimited' ? Number.MAX_SAFE_INTEGER : Number(value);
  };
  return { soft: read('-Sn'), hard: read('-Hn') };
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

export interface ChildOptions {
  nodeArgs?: string[];
  /** Raise the soft open-file limit to this before exec (via `sh -c 'ulimit -n'`). */
  openFiles?: number;
  /** Added to this process's environment (a secret passed to the child without its command line). */
  env?: Record<string, string>;
}

export class Child {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly exited: Promise<number | null>;
  readonly ready: Promise<unknown>;

  private constructor(
    readonly name: string,
    private readonly process: ChildProcess,
  ) {
    let markReady!: (message: unknown) => void;
    this.ready = new Promise((resolve) => (markReady = resolve));
    this.exited = new Promise((resolve) => process.once('exit', (code) => resolve(code)));
    process.on('message', (message: { id?: number; op?: string; ok?: boolean; result?: unknown; error?: string }) => {
      if (message.op === 'ready') return markReady(message);
      const pending = message.id === undefined ? undefined : this.pending.get(message.id);
      if (!pending) return;
      this.pending.delete(message.id!);
      if (message.ok) pending.resolve(message.result);
      else pending.reject(new Error(`${name}: ${message.error}`));
    });
    process.once('exit', (code, signal) => {
      for (const pending of this.pending.values()) pending.reject(new Error(`${name} exited (${code ?? signal})`));
      this.pending.clear();
    });
  }

  /** Starts `node [nodeArgs] --import tsx <script> [args]` with an IPC channel. */
  static start(name: string, script: string, args: string[], options: ChildOptions = {}): Child {
    const nodeArgs = [...(options.nodeArgs ?? []), '--import', 'tsx', path.join(BENCH_DIR, script), ...args];
    const stdio: Array<'ignore' | 'inherit' | 'ipc'> = ['ignore', 'inherit', 'inherit', 'ipc'];
    const env = { ...process.env, ...options.env };
    const child = options.openFiles
      ? spawn('sh', ['-c', `ulimit -n ${options.openFiles} && exec "$0" "$@"`, process.execPath, ...nodeArgs], {
          stdio,
          serialization: 'advanced',
          cwd: PROJECT_ROOT,
          env,
        })
      : spawn(process.execPath, nodeArgs, { stdio, serialization: 'advanced', cwd: PROJECT_ROOT, env });
    return new Child(name, child);
  }

  get pid(): number {
    return this.process.pid!;
  }

  /** Not exited yet (nor killed by a signal). */
  get running(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  request<T>(body: Record<string, unknown> & { op: string }, timeoutMs = 120_000): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}: no answer to ${body.op} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as T);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.process.send({ ...body, id });
    });
  }

  /** User + system CPU time so far, in ms (10 ms resolution). */
  cpuMs(): number {
    return processCpuMs(this.pid);
  }

  /** Waits for the exit, killing the process (by its own pid) if it does not leave in time. */
  async stopped(timeoutMs = 15_000): Promise<void> {
    const timer = setTimeout(() => this.process.kill('SIGKILL'), timeoutMs);
    await this.exited;
    clearTimeout(timer);
  }

  kill(): void {
    if (this.running) this.process.kill('SIGKILL');
  }
}

/** User + system CPU time of any process so far, in ms (NaN once it is gone). */
export function processCpuMs(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}

/**
 * The pid of a process started elsewhere (test/redis-server.ts does not
 * expose its redis-server's), found by what its command line contains;
 * redis-server rewrites it to `redis-server 127.0.0.1:<port>`.
 */
export function findPid(commandLineContains: string): number | undefined {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(commandLineContains)) return Number(entry);
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return undefined;
}

/** Busy and total CPU time of the whole machine so far, in ms (for the load other processes put on it). */
export function machineCpuMs(): { busy: number; total: number } {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const ticks = line.split(/\s+/).slice(1).map(Number);
  const total = ticks.slice(0, 8).reduce((sum, value) => sum + value, 0);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  return { busy: ((total - idle) * 1000) / CLOCK_TICKS, total: (total * 1000) / CLOCK_TICKS };
}
