/**
 * npm run bench [-- --quick] [-- --generators K] [-- --sizes 1000,5000] [-- --workers 2|0]
 * npm run bench -- --only storage   (the storage-stall benchmark alone, bench/storage-stalls.ts)
 * npm run bench -- --only workers-profile [--sizes 3000]   (one join storm on 2 workers + Redis, every process profiled)
 * npm run bench -- --soak [--soak-minutes 10] [--soak-phones 2000]   (the soak alone, bench/soak.ts)
 *
 * The load benchmark of a big room (issue "A big room"): for each N, a fresh
 * raw `ws` reference server and a fresh livedeck, each alone in a child
 * process, get the same join storm, slide fan-out and chat from the same
 * generator, and so does livedeck as `npm start -- --workers 2` runs it (a
 * cluster primary and two workers on one port, sharing a fresh redis-server;
 * --workers 0 skips it, and so does a machine without redis-server); then the
 * generator's own client is compared with socket.io-client, the chat persist + broadcast micro-benchmark runs, and a
 * profiled livedeck pass names what dominates. A full run rewrites the
 * generated section of docs/performance.md, docs/performance-fanout.svg and
 * bench/results/summary.json; every run writes bench/results/<mode>.raw.json.
 *
 * Everything is bounded: N ≤ 10,000, 127.0.0.1 only, each wait has a
 * timeout, and every child is killed on the way out. --quick takes about a
 * minute, a full run (two rounds, one of the workers) about seven on two cores.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildIsStale, ensureBuild } from '../demo-server/http/ensure-build.js';
import { DIST_DIR } from '../demo-server/http/pages.js';
import { redisAvailable } from '../test/redis-server.js';
import { runChatThroughput } from './chat-throughput.js';
import { measureFirstLoad, type FirstLoad } from './first-load.js';
import { BENCH_DIR, CLOCK_TICKS, fileLimits, machineCpuMs, PROJECT_ROOT } from './processes.js';
import { summarizeProfile } from './profile.js';
import { profileWorkers } from './profile-workers.js';
import { chartSvg, resultsMarkdown, summary, updateDocument, type BenchResults } from './report.js';
import type { Target } from './messages.js';
import { runScenario, type ScenarioConfig, type ScenarioResult } from './scenario.js';
import { runSoak, soakMarkdown, soakWorkersMarkdown, SOAK_MARKER_END, SOAK_MARKER_START, SOAK_WORKERS_MARKER_END, SOAK_WORKERS_MARKER_START } from './soak.js';
import { now } from './stats.js';
import { runStorageStalls, storageStallsMarkdown } from './storage-stalls.js';

const MAX_N = 10_000;
const RESULTS_DIR = path.join(BENCH_DIR, 'results');
const DOC = path.join(PROJECT_ROOT, 'docs', 'performance.md');
const CHART = path.join(PROJECT_ROOT, 'docs', 'performance-fanout.svg');

const startedAt = now();
const log = (line = '') => process.stdout.write(`[${((now() - startedAt) / 1000).toFixed(0).padStart(3)} s] ${line}\n`);

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    generators: { type: 'string', default: '1' },
    sizes: { type: 'string' },
    /**
     * livedeck as `--workers K` sharing one Redis, beside the one process (0: skip; default 2).
     * With --soak: `--workers 2` runs the soak on two processes sharing one Redis, one of them killed halfway.
     */
    workers: { type: 'string' },
    docs: { type: 'boolean' },
    profile: { type: 'boolean' },
    /** Re-renders the records from a saved raw JSON instead of measuring (report changes only). */
    from: { type: 'string' },
    /** One benchmark alone: `storage` (disk stalls, bench/storage-stalls.ts). */
    only: { type: 'string' },
    /** The soak alone (bench/soak.ts): minutes of a room with churn; writes its section of docs/performance.md. */
    soak: { type: 'boolean', default: false },
    'soak-minutes': { type: 'string', default: '10' },
    'soak-phones': { type: 'string', default: '2000' },
  },
  allowNegative: true,
});

const quick = args.quick!;
const plan = {
  sizes: (args.sizes ?? (quick ? '1000' : '1000,5000,10000')).split(',').map(Number),
  generators: Math.max(1, Number(args.generators)),
  concurrency: 500,
  slides: quick ? 5 : 10,
  chat: quick ? { chatters: 30, ratePerSecond: 10, messages: 30 } : { chatters: 50, ratePerSecond: 10, messages: 50 },
  idleMs: quick ? 1000 : 3000,
  clientKindsN: quick ? 500 : 1000,
  rounds: quick ? 1 : 2,
  workers: Math.max(0, Number(args.workers ?? '2') || 0),
  // One round of the workers: two would add about three minutes to a full run.
  workerRounds: 1,
  chatThroughput: quick ? { listeners: 50, durationMs: 1000, rounds: 1 } : { listeners: 100, durationMs: 2000, rounds: 2 },
  profile: args.profile ?? !quick,
  docs: args.docs ?? !quick,
};

function selfCpuMs(): number {
  // utime + stime + cutime + cstime: this process and every child it has reaped.
  const stat = fs.readFileSync('/proc/self/stat', 'utf8');
  const fields = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  return ((fields[11]! + fields[12]! + fields[13]! + fields[14]!) * 1000) / CLOCK_TICKS;
}

async function prepareBuild(): Promise<string> {
  const stampFile = path.join(DIST_DIR, '.build-stamp');
  if (!fs.existsSync(path.join(DIST_DIR, 'index.html'))) await ensureBuild(log);
  const stamp = fs.existsSync(stampFile) ? fs.readFileSync(stampFile, 'utf8').trim() : 'unknown';
  // Other work may be rebuilding or testing against dist/: measure what is there rather than rebuild under it.
  return `dist/ built ${stamp}${buildIsStale() ? ' (older than some sources: run `npm run build` for exact sizes)' : ''}`;
}

function writeRecords(results: BenchResults, docs: boolean): void {
  if (!docs) {
    process.stdout.write(`${resultsMarkdown(results)}\n`);
    return;
  }
  const existing = fs.existsSync(DOC) ? fs.readFileSync(DOC, 'utf8') : '# Performance\n';
  fs.writeFileSync(DOC, updateDocument(existing, resultsMarkdown(results)));
  fs.writeFileSync(CHART, chartSvg(results));
  fs.writeFileSync(path.join(RESULTS_DIR, 'summary.json'), `${JSON.stringify(summary(results), null, 2)}\n`);
  log(`wrote ${path.relative(PROJECT_ROOT, DOC)}, ${path.relative(PROJECT_ROOT, CHART)}, bench/results/summary.json`);
}

/** The storage-stall benchmark alone: prints its table (docs/performance.md quotes it) and keeps the raw figures. */
async function runStorageOnly(): Promise<void> {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  log('storage stalls: event loop, slide:set, joins and chat while idle, while writing flat out, and with the database locked');
  const result = await runStorageStalls({ phaseMs: quick ? 2000 : 4000, log });
  fs.writeFileSync(path.join(RESULTS_DIR, 'storage.raw.json'), `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`\n${storageStallsMarkdown(result)}\n`);
}

/** The soak alone: bounded by its minutes (at most 30) and phones (at most 5,000); writes its section of the docs. */
async function runSoakOnly(): Promise<void> {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  // The servers serve the phone page from dist/: build it when it is missing.
  await prepareBuild();
  const processes = Number(args.workers ?? '1');
  if (processes !== 1 && processes !== 2) throw new Error(`--soak --workers ${args.workers}: the soak runs on 1 process or on 2 sharing one Redis`);
  if (processes === 2 && !redisAvailable()) throw new Error('--soak --workers 2 needs redis-server (REDIS_SERVER_BIN or PATH)');
  // Two processes: one is killed halfway, so at least a minute on each side of the kill.
  const minutes = Math.min(30, Math.max(processes, Number(args['soak-minutes'])));
  const phones = Math.min(5000, Math.max(10, Number(args['soak-phones'])));
  const cpuBefore = machineCpuMs();
  const selfBefore = selfCpuMs();
  const loadBefore = os.loadavg();
  log(
    `soak: ${phones} phones for ${minutes} minute(s), ${processes === 1 ? 'one process' : `two processes + Redis, one killed after minute ${Math.floor(minutes / 2)}`}`,
  );
  const limits = fileLimits();
  const result = await runSoak({
    phones,
    minutes,
    churnShare: 0.05,
    chatPerSecond: 2,
    slideEverySeconds: 20,
    processes,
    ...(limits.soft < phones + 1024 && limits.hard >= phones + 1024 ? { openFiles: phones + 1024 } : {}),
    log,
  });
  const cpuAfter = machineCpuMs();
  const otherPct = Math.max(0, (100 * (cpuAfter.busy - cpuBefore.busy - (selfCpuMs() - selfBefore))) / (cpuAfter.total - cpuBefore.total));
  const load = `shared machine, ${os.cpus().length} cores; processes other than the soak used ${otherPct.toFixed(0)}% of its CPU (load average ${loadBefore.map((v) => v.toFixed(2)).join(' ')} before, ${os
    .loadavg()
    .map((v) => v.toFixed(2))
    .join(' ')} after). The phones share the machine with the server.`;
  fs.writeFileSync(path.join(RESULTS_DIR, processes === 1 ? 'soak.raw.json' : 'soak-workers.raw.json'), `${JSON.stringify(result, null, 2)}\n`);
  const when = new Date().toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
  const section = processes === 1 ? soakMarkdown(result, when, load) : soakWorkersMarkdown(result, when, load);
  const markers: [string, string] = processes === 1 ? [SOAK_MARKER_START, SOAK_MARKER_END] : [SOAK_WORKERS_MARKER_START, SOAK_WORKERS_MARKER_END];
  if (args.docs === false) process.stdout.write(`${section}\n`);
  else {
    fs.writeFileSync(DOC, updateDocument(fs.readFileSync(DOC, 'utf8'), section, markers));
    log(`wrote the ${processes === 1 ? "soak's" : 'two-process soak'} section of ${path.relative(PROJECT_ROOT, DOC)}`);
  }
}

async function main(): Promise<void> {
  if (args.soak) return runSoakOnly();
  if (args.only === 'storage') return runStorageOnly();
  if (args.only === 'workers-profile') return prepareBuild().then(() => profileWorkers(Math.min(MAX_N, Number(args.sizes ?? '3000')), log));
  if (args.only !== undefined) throw new Error(`--only ${args.only}: the benchmarks that run alone are "storage" and "workers-profile"`);
  if (args.from) {
    writeRecords(JSON.parse(fs.readFileSync(args.from, 'utf8')) as BenchResults, args.docs ?? true);
    return;
  }
  const began = now();
  const cpuBefore = machineCpuMs();
  const selfBefore = selfCpuMs();
  const loadBefore = os.loadavg();
  fs.mkdirSync(RESULTS_DIR, { recursive: true });

  const limits = fileLimits();
  const needed = Math.min(MAX_N, Math.max(...plan.sizes)) + 1024;
  let openFiles: number | undefined;
  if (limits.soft < needed) {
    if (limits.hard >= needed) openFiles = needed;
    else {
      log(`open-file hard limit ${limits.hard} is below ${needed}: sizes above ${limits.hard - 1024} are skipped`);
    }
  }
  const sizes = plan.sizes.filter((n) => n >= 1 && n <= MAX_N && n + 1024 <= Math.max(limits.hard, limits.soft));
  let workers = plan.workers;
  if (workers > 0 && !redisAvailable()) {
    log('redis-server not found (REDIS_SERVER_BIN or PATH): the 2-worker runs are skipped');
    workers = 0;
  }
  log(
    `livedeck benchmark (${quick ? 'quick' : 'full'}): N = ${sizes.join(', ')}; ${plan.generators} generator process(es)${workers ? `; also livedeck as ${workers} workers + Redis` : ''}`,
  );

  const build = await prepareBuild();

  let firstLoad: FirstLoad | undefined;
  const measureOnce = async (url: string) => {
    if (firstLoad) return;
    firstLoad = await measureFirstLoad(url);
    log(`  phone first load: ${(firstLoad.gzipTotal / 1024).toFixed(1)} KB gzipped, ${(firstLoad.servedTotal / 1024).toFixed(1)} KB as served`);
  };

  const base = (target: ScenarioConfig['target'], n: number): ScenarioConfig => ({
    target,
    n,
    kind: 'wire',
    generators: plan.generators,
    concurrency: plan.concurrency,
    slides: plan.slides,
    chat: plan.chat,
    idleMs: plan.idleMs,
    ...(openFiles ? { openFiles } : {}),
    log,
  });

  // ---------------------------------------------------------------- the main runs
  // Every (server, N) pair runs `rounds` times, interleaved; the round that the rest of the machine
  // disturbed least is reported (all rounds stay in the raw JSON). Choosing by disturbance, not by
  // result, keeps the pick honest.
  const allRounds: ScenarioResult[] = [];
  for (let round = 1; round <= plan.rounds; round++) {
    for (const n of sizes) {
      const targets: Target[] = ['reference', 'livedeck', ...(workers && round <= plan.workerRounds ? (['workers'] as const) : [])];
      for (const target of targets) {
        const label = target === 'workers' ? `livedeck, ${workers} workers + Redis` : target;
        const rounds = target === 'workers' ? plan.workerRounds : plan.rounds;
        log(`${label}, N = ${n}${rounds > 1 ? ` (round ${round} of ${rounds})` : ''}`);
        allRounds.push(await runScenario({ ...base(target, n), workers, ...(target === 'livedeck' ? { onServer: measureOnce } : {}) }));
      }
    }
  }
  const scenarios = sizes.flatMap((n) =>
    (['reference', 'livedeck', 'workers'] as const).flatMap((target) => {
      const rounds = allRounds.filter((s) => s.target === target && s.n === n);
      return rounds.length ? [rounds.reduce((a, b) => (b.otherLoadPct < a.otherLoadPct ? b : a))] : [];
    }),
  );

  // ---------------------------------------------------------------- is the generator the bottleneck?
  const kindsN = Math.min(plan.clientKindsN, Math.max(...sizes));
  log(`socket.io-client as the generator's client, livedeck, N = ${kindsN}`);
  const sio = await runScenario({ ...base('livedeck', kindsN), kind: 'sio', chat: undefined, slides: Math.min(5, plan.slides) });
  if (!firstLoad) throw new Error('the first load was not measured');
  const wire = scenarios.find((s) => s.target === 'livedeck' && s.n === kindsN) ?? (await runScenario({ ...base('livedeck', kindsN), chat: undefined }));

  // ---------------------------------------------------------------- chat micro-benchmark
  log(`chat persist + broadcast, K = ${plan.chatThroughput.listeners} listeners`);
  const chatThroughput = await runChatThroughput({ ...plan.chatThroughput, concurrency: 64, log });

  // ---------------------------------------------------------------- profile
  let profile: BenchResults['profile'];
  if (plan.profile) {
    const n = Math.max(...sizes);
    const dir = fs.mkdtempSync(path.join(RESULTS_DIR, 'profile-'));
    log(`profiled livedeck pass, N = ${n} (node --cpu-prof)`);
    // Fewer slides and messages than the measured pass: the profile needs their shape, not their count.
    const profiled = await runScenario({
      ...base('livedeck', n),
      slides: Math.min(5, plan.slides),
      chat: { ...plan.chat, messages: Math.min(30, plan.chat.messages) },
      cpuProfDir: dir,
    });
    const file = fs.readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
    if (file) {
      const target = path.join(RESULTS_DIR, `livedeck-${n}.cpuprofile`);
      fs.renameSync(path.join(dir, file), target);
      profile = { ...summarizeProfile(target, profiled.phases), n };
      for (const phase of profile.phases) {
        log(
          `  ${phase.name}: ${phase.packages
            .slice(0, 4)
            .map((p) => `${p.name} ${p.pct.toFixed(0)}%`)
            .join(', ')}`,
        );
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }

  // ---------------------------------------------------------------- records
  const cpuAfter = machineCpuMs();
  const ours = selfCpuMs() - selfBefore;
  const results: BenchResults = {
    date: new Date().toISOString().replace('T', ' ').slice(0, 16) + ' UTC',
    mode: quick ? 'quick' : 'full',
    wallSeconds: (now() - began) / 1000,
    machine: {
      cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
      cores: os.cpus().length,
      memoryGB: os.totalmem() / 1024 ** 3,
      node: process.version,
      kernel: os.release(),
      loadBefore,
      loadAfter: os.loadavg(),
      otherLoadPct: Math.max(0, (100 * (cpuAfter.busy - cpuBefore.busy - ours)) / (cpuAfter.total - cpuBefore.total)),
      openFiles: limits,
    },
    config: {
      sizes,
      generators: plan.generators,
      concurrency: plan.concurrency,
      slides: plan.slides,
      chat: plan.chat,
      idleMs: plan.idleMs,
      rounds: plan.rounds,
      ...(workers ? { workers: { count: workers, rounds: plan.workerRounds } } : {}),
    },
    build,
    scenarios,
    allRounds,
    clientKinds: { n: kindsN, runs: [sio, wire] },
    firstLoad: firstLoad as FirstLoad,
    chatThroughput,
    ...(profile ? { profile } : {}),
  };
  const raw = path.join(RESULTS_DIR, `${results.mode}.raw.json`);
  fs.writeFileSync(
    raw,
    JSON.stringify(results, (_key, value: unknown) => (value instanceof Float64Array ? undefined : value), 2),
  );
  log(`raw results: ${path.relative(PROJECT_ROOT, raw)}`);
  writeRecords(results, plan.docs);
  log(`done in ${Math.round(results.wallSeconds)} s`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
