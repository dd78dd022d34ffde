/**
 * Turns one benchmark run into its records: the generated section of
 * docs/performance.md (between the bench:results markers, so the prose
 * around it stays), the SVG chart, and a small summary JSON.
 */
import type { ChatThroughput } from './chat-throughput.js';
import { drawChart } from './chart.js';
import type { FirstLoad } from './first-load.js';
import type { ProfileSummary } from './profile.js';
import type { ScenarioResult } from './scenario.js';
import type { Target } from './messages.js';
import { ratio } from './stats.js';

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGB: number;
  node: string;
  kernel: string;
  loadBefore: number[];
  loadAfter: number[];
  /** Share of the whole machine's CPU used by processes other than this benchmark during the run. */
  otherLoadPct: number;
  openFiles: { soft: number; hard: number };
}

export interface ClientKindComparison {
  n: number;
  runs: ScenarioResult[];
}

export interface BenchResults {
  date: string;
  mode: 'quick' | 'full';
  wallSeconds: number;
  machine: MachineInfo;
  config: {
    sizes: number[];
    generators: number;
    concurrency: number;
    slides: number;
    chat: { chatters: number; ratePerSecond: number; messages: number };
    idleMs: number;
    rounds: number;
    /** livedeck as `--workers count` with one Redis, beside the one process (absent: not run). */
    workers?: { count: number; rounds: number };
  };
  build: string;
  /** The reported round of each (server, N). */
  scenarios: ScenarioResult[];
  /** Every round that ran. */
  allRounds: ScenarioResult[];
  clientKinds?: ClientKindComparison;
  firstLoad: FirstLoad;
  chatThroughput?: ChatThroughput;
  profile?: ProfileSummary & { n: number };
}

export const TARGETS = {
  phones: 10_000,
  fanoutRatio: 2,
  joinSeconds: 10,
  memoryKB: 20,
  firstLoadKB: 100,
};

/** Issue "A conference hall": one process at N = 10,000, as multiples of the reference in the same run. */
export const HALL_TARGETS = {
  joinRatio: 1.5,
  memoryKB: 10,
  fanoutRatio: 1.2,
  chatP99Ms: 1000,
  /** Server CPU per join of the workers (primary, workers and Redis) over one process's. */
  workersJoinCpuRatio: 1.5,
};

export const MARKER_START = '<!-- bench:results:start -->';
export const MARKER_END = '<!-- bench:results:end -->';

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const ms = (value: number, digits = 1) => (Number.isFinite(value) ? `${value.toFixed(digits)} ms` : '–');
const times = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)}×` : '–');
const pct = (value: number) => (Number.isFinite(value) ? `${value.toFixed(0)}%` : '–');
const count = (value: number) => value.toLocaleString('en-US');
const verdict = (met: boolean) => (met ? '**met**' : '**missed**');

function find(results: BenchResults, target: Target, n: number): ScenarioResult | undefined {
  return results.scenarios.find((scenario) => scenario.target === target && scenario.n === n);
}

function targetsTable(results: BenchResults): string[] {
  const n = Math.max(...results.config.sizes);
  const live = find(results, 'livedeck', n);
  const ref = find(results, 'reference', n);
  const at = n === TARGETS.phones ? '' : ` (measured at N = ${count(n)} only: ${results.mode} run)`;
  const lines = [`| Target (one process, 2 cores)${at} | Measured | |`, '| --- | --- | --- |'];
  if (live) {
    // A run that stopped short of 10,000 phones cannot meet or miss the 10,000-phone targets.
    const full = n >= TARGETS.phones;
    const atScale = (met: boolean) => (full ? verdict(met) : `not measured at ${count(TARGETS.phones)}`);
    lines.push(
      `| ${count(TARGETS.phones)} phones connected | ${count(live.join.connected)} of ${count(n)} held a snapshot | ${atScale(live.join.connected >= TARGETS.phones)} |`,
    );
    if (ref) {
      const fanoutRatio = ratio(live.fanout.p99, ref.fanout.p99);
      lines.push(
        `| Slide fan-out p99 ≤ ${TARGETS.fanoutRatio}× the raw \`ws\` reference | ${ms(live.fanout.p99)} vs ${ms(ref.fanout.p99)}: ${times(fanoutRatio)} | ${atScale(fanoutRatio <= TARGETS.fanoutRatio)} |`,
      );
    }
    lines.push(
      `| Join storm of ${count(TARGETS.phones)} < ${TARGETS.joinSeconds} s | ${(live.join.totalMs / 1000).toFixed(2)} s (p99 per phone ${ms(live.join.p99, 0)}) | ${atScale(live.join.totalMs < TARGETS.joinSeconds * 1000 && live.join.connected >= TARGETS.phones)} |`,
    );
    lines.push(
      `| < ${TARGETS.memoryKB} KB server memory per idle phone | ${live.memory.rssPerClientKB.toFixed(1)} KB RSS (JS heap ${live.memory.heapPerClientKB.toFixed(1)} KB) | ${verdict(live.memory.rssPerClientKB < TARGETS.memoryKB)} |`,
    );
  }
  const load = results.firstLoad;
  const compressed = load.files.every((file) => file.encoding !== 'identity');
  lines.push(
    `| Phone's first load < ${TARGETS.firstLoadKB} KB gzipped | ${kb(load.gzipTotal)} gzipped; ${kb(load.servedTotal)} as served (${compressed ? 'compressed' : 'the server sends it uncompressed'}) | ${
      load.gzipTotal < TARGETS.firstLoadKB * 1024
        ? load.servedTotal < TARGETS.firstLoadKB * 1024
          ? verdict(true)
          : '**met gzipped, missed as served**'
        : verdict(false)
    } |`,
  );
  return lines;
}

function hallTargetsTable(results: BenchResults): string[] {
  const n = Math.max(...results.config.sizes);
  const live = find(results, 'livedeck', n);
  const ref = find(results, 'reference', n);
  if (!live || !ref) return ['(needs livedeck and the reference at the same N)'];
  const full = n >= TARGETS.phones;
  const at = full ? '' : ` (measured at N = ${count(n)} only)`;
  const judge = (met: boolean) => (full ? verdict(met) : `not measured at ${count(TARGETS.phones)}`);
  const wall = ratio(live.join.totalMs, ref.join.totalMs);
  const cpu = ratio(live.join.serverCpuMsPerJoin, ref.join.serverCpuMsPerJoin);
  const fanout = ratio(live.fanout.p99, ref.fanout.p99);
  const lines = [`| Target (one process${at}, ratio to the raw \`ws\` reference in the same run) | Measured | |`, '| --- | --- | --- |'];
  lines.push(
    `| Join storm ≤ ${HALL_TARGETS.joinRatio}× in wall time and in server CPU per join | ${(live.join.totalMs / 1000).toFixed(2)} s vs ${(ref.join.totalMs / 1000).toFixed(2)} s: ${times(wall)}; ${ms(live.join.serverCpuMsPerJoin, 2)} vs ${ms(ref.join.serverCpuMsPerJoin, 2)} per join: ${times(cpu)} | ${judge(wall <= HALL_TARGETS.joinRatio && cpu <= HALL_TARGETS.joinRatio)} |`,
  );
  lines.push(
    `| RSS per idle phone ≤ ${HALL_TARGETS.memoryKB} KB | ${live.memory.rssPerClientKB.toFixed(1)} KB (reference ${ref.memory.rssPerClientKB.toFixed(1)} KB: ${times(ratio(live.memory.rssPerClientKB, ref.memory.rssPerClientKB))}); JS heap ${live.memory.heapPerClientKB.toFixed(1)} KB | ${judge(live.memory.rssPerClientKB <= HALL_TARGETS.memoryKB)} |`,
  );
  lines.push(
    `| Fan-out p99 ≤ ${HALL_TARGETS.fanoutRatio}× | ${ms(live.fanout.p99)} vs ${ms(ref.fanout.p99)}: ${times(fanout)} | ${judge(fanout <= HALL_TARGETS.fanoutRatio)} |`,
  );
  if (live.chat && ref.chat) {
    const c = live.chat;
    const refused = Object.values(c.refused).reduce((a, b) => a + b, 0);
    const whole = c.complete && refused === 0 && c.delivered === c.scheduled;
    const beats = c.p99 <= ref.chat.p99 && c.throughput >= ref.chat.throughput * 0.99;
    lines.push(
      `| Chat, ${c.ratePerSecond} messages/s from ${c.chatters} phones: every message to every phone, p99 ≤ ${HALL_TARGETS.chatP99Ms / 1000} s, beating the reference | ${c.delivered} of ${c.scheduled} sent, ${refused} refused, ${c.complete ? 'all reached every phone' : '**some did not reach every phone**'}; p99 ${ms(c.p99)} (reference ${ms(ref.chat.p99)}${ref.chat.complete ? '' : ', incomplete'}); ${c.throughput.toFixed(1)} msg/s to all (reference ${ref.chat.throughput.toFixed(1)}) | ${judge(whole && c.p99 <= HALL_TARGETS.chatP99Ms && beats)} |`,
    );
  }
  const workers = find(results, 'workers', n);
  if (workers) {
    const workersCpu = ratio(workers.join.serverCpuMsPerJoin, live.join.serverCpuMsPerJoin);
    lines.push(
      `| ${workersLabel(results)}: server CPU per join ≤ ${HALL_TARGETS.workersJoinCpuRatio}× one process | ${ms(workers.join.serverCpuMsPerJoin, 2)} vs ${ms(live.join.serverCpuMsPerJoin, 2)}: ${times(workersCpu)} | ${judge(workersCpu <= HALL_TARGETS.workersJoinCpuRatio)} |`,
    );
  }
  return lines;
}

function perSizeTable(results: BenchResults): string[] {
  const lines = [
    '| N | server | join total | join p99 | server CPU per join | fan-out p50 | fan-out p99 | fan-out max | server CPU per slide | chat to all | chat p99 | RSS per phone | heap per phone |',
    '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const n of results.config.sizes) {
    const ref = find(results, 'reference', n);
    const live = find(results, 'livedeck', n);
    const row = (label: string, s: ScenarioResult) =>
      `| ${count(n)} | ${label} | ${(s.join.totalMs / 1000).toFixed(2)} s | ${ms(s.join.p99, 0)} | ${ms(s.join.serverCpuMsPerJoin, 2)} | ${ms(s.fanout.p50)} | ${ms(s.fanout.p99)} | ${ms(s.fanout.max)} | ${ms(s.fanout.serverCpuMsPerSlide, 0)} | ${s.chat ? `${s.chat.throughput.toFixed(1)} msg/s` : '–'} | ${s.chat ? ms(s.chat.p99) : '–'} | ${s.memory.rssPerClientKB.toFixed(1)} KB | ${s.memory.heapPerClientKB.toFixed(1)} KB |`;
    if (ref) lines.push(row('raw `ws` reference', ref));
    if (live) lines.push(row('livedeck', live));
    if (ref && live) {
      lines.push(
        `| ${count(n)} | *livedeck ÷ reference* | ${times(ratio(live.join.totalMs, ref.join.totalMs))} | ${times(ratio(live.join.p99, ref.join.p99))} | ${times(ratio(live.join.serverCpuMsPerJoin, ref.join.serverCpuMsPerJoin))} | ${times(ratio(live.fanout.p50, ref.fanout.p50))} | ${times(ratio(live.fanout.p99, ref.fanout.p99))} | ${times(ratio(live.fanout.max, ref.fanout.max))} | ${times(ratio(live.fanout.serverCpuMsPerSlide, ref.fanout.serverCpuMsPerSlide))} | ${live.chat && ref.chat ? times(ratio(live.chat.throughput, ref.chat.throughput)) : '–'} | ${live.chat && ref.chat ? times(ratio(live.chat.p99, ref.chat.p99)) : '–'} | ${times(ratio(live.memory.rssPerClientKB, ref.memory.rssPerClientKB))} | ${times(ratio(live.memory.heapPerClientKB, ref.memory.heapPerClientKB))} |`,
      );
    }
  }
  return lines;
}

const workersLabel = (results: BenchResults) => `livedeck, ${results.config.workers?.count ?? 2} workers + Redis`;

const targetLabel = (results: BenchResults, target: Target) => (target === 'workers' ? workersLabel(results) : target);

/** One process beside K workers sharing one Redis, per N: the issue's "bench/ can run the fan-out benchmark against 2 workers as well as 1". */
function workersTable(results: BenchResults): string[] {
  const lines = [
    '| N | livedeck as | sessions per worker | join total | join p99 | server CPU per join | join CPU: primary / workers / redis | fan-out p50 | fan-out p99 | fan-out max | server CPU per slide | of which redis-server | Redis commands per join / per slide (stream appends) | chat to all | chat p99 | RSS per phone | other processes |',
    '| ---: | --- | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |',
  ];
  for (const n of results.config.sizes) {
    const one = find(results, 'livedeck', n);
    const many = find(results, 'workers', n);
    if (!many) continue;
    const redisPerSlide = (s: ScenarioResult) =>
      s.fanout.cpu.parts ? ms((s.fanout.cpu.parts.redisPct * s.fanout.cpu.wallMs) / 100 / s.fanout.slides, 0) : '–';
    const parts = (s: ScenarioResult) => {
      const split = s.join.cpu.parts;
      return split ? `${pct(split.primaryPct)} / ${pct(split.workersPct)} / ${pct(split.redisPct)}` : `– / ${pct(s.join.cpu.serverPct)} / –`;
    };
    const redisCommands = (s: ScenarioResult) => {
      const w = s.workers;
      if (!w || !Number.isFinite(w.redisPerJoin.total)) return '–';
      return `${w.redisPerJoin.total.toFixed(1)} (${w.redisPerJoin.xadd.toFixed(1)}) / ${w.redisPerSlide.total.toFixed(1)} (${w.redisPerSlide.xadd.toFixed(1)})`;
    };
    const row = (label: string, s: ScenarioResult) =>
      `| ${count(n)} | ${label} | ${s.workers ? s.workers.spread.map(count).join(' / ') : count(s.join.connected + 1)} | ${(s.join.totalMs / 1000).toFixed(2)} s | ${ms(s.join.p99, 0)} | ${ms(s.join.serverCpuMsPerJoin, 2)} | ${parts(s)} | ${ms(s.fanout.p50)} | ${ms(s.fanout.p99)} | ${ms(s.fanout.max)} | ${ms(s.fanout.serverCpuMsPerSlide, 0)} | ${redisPerSlide(s)} | ${redisCommands(s)} | ${s.chat ? `${s.chat.throughput.toFixed(1)} msg/s` : '–'} | ${s.chat ? ms(s.chat.p99) : '–'} | ${s.memory.rssPerClientKB.toFixed(1)} KB | ${pct(s.otherLoadPct)} |`;
    if (one) lines.push(row('one process (SQLite)', one));
    lines.push(row(workersLabel(results), many));
    if (one) {
      lines.push(
        `| ${count(n)} | *${results.config.workers?.count ?? 2} workers ÷ one process* | | ${times(ratio(many.join.totalMs, one.join.totalMs))} | ${times(ratio(many.join.p99, one.join.p99))} | ${times(ratio(many.join.serverCpuMsPerJoin, one.join.serverCpuMsPerJoin))} | | ${times(ratio(many.fanout.p50, one.fanout.p50))} | ${times(ratio(many.fanout.p99, one.fanout.p99))} | ${times(ratio(many.fanout.max, one.fanout.max))} | ${times(ratio(many.fanout.serverCpuMsPerSlide, one.fanout.serverCpuMsPerSlide))} | | | ${many.chat && one.chat ? times(ratio(many.chat.throughput, one.chat.throughput)) : '–'} | ${many.chat && one.chat ? times(ratio(many.chat.p99, one.chat.p99)) : '–'} | ${times(ratio(many.memory.rssPerClientKB, one.memory.rssPerClientKB))} | |`,
      );
    }
  }
  return lines;
}

function workersSection(results: BenchResults): string[] {
  const w = results.config.workers;
  if (!w || !results.scenarios.some((s) => s.target === 'workers')) return [];
  return [
    '',
    `### One process or ${w.count} workers sharing Redis (\`npm start -- --workers ${w.count}\`)`,
    '',
    `livedeck as \`--workers ${w.count}\` runs it (\`bench/serve-workers.ts\`): the cluster primary of \`demo-server/cluster.ts\` owns one port and hands each new connection to the worker with the fewest open connections (\`@socket.io/sticky\`, least-connection, on the primary's own count of the connections it handed over less those each worker reports closed); the workers share the talk through a fresh redis-server (test/redis-server.ts: appendonly, appendfsync always) and its Streams adapter. The phones open their WebSocket directly, as the phone page does first (\`transports: ['websocket', 'polling']\`), so each phone's session lives on the worker that received its connection and no request needs routing by \`sid\` afterwards. The presenter joins first and its worker is listed first under "sessions per worker" (presenter included); its \`slide:set\` reaches the other worker's phones through Redis. Server CPU counts the primary, the workers and redis-server (% of one core during the join storm, split by process); "of which redis-server" is its part per slide. Redis commands are counted by redis-server itself (\`INFO commandstats\`); the stream appends are the adapter's: with connection state recovery on, Socket.IO sends a socket's own packets through the adapter too, to give them a recovery offset, so with the Redis Streams adapter each one is an XADD that every worker reads back and decodes (the snapshot no longer goes that way, and the presenter status rides in it). Same generator, same phases, same N as the one-process rows, which are repeated here from the table above; ${w.rounds} round${w.rounds > 1 ? 's' : ''} of the workers. **On this machine the primary, ${w.count} workers, redis-server and the generator share ${results.machine.cores} cores.** One process is held to about one core by its event loop; ${w.count} workers could use ${w.count}, but here they get what the generator and redis-server leave, so these rows show the costs of the scale-out (the Redis round trip and its fsync, the primary's hand-off of each connection, every process-wide structure twice) more than its gain, which needs a core, or a machine, per worker.`,
    '',
    ...workersTable(results),
  ];
}

function cpuTable(results: BenchResults): string[] {
  const lines = [
    '| N | server | join: server / generator | fan-out: server / generator | chat: server / generator | other processes | failed joins | fan-out misses | chat refused |',
    '| ---: | --- | --- | --- | --- | ---: | ---: | ---: | --- |',
  ];
  for (const s of results.scenarios) {
    const refused = s.chat
      ? Object.entries(s.chat.refused)
          .map(([code, n]) => `${n} ${code}`)
          .join(', ') || '0'
      : '–';
    lines.push(
      `| ${count(s.n)} | ${targetLabel(results, s.target)} | ${pct(s.join.cpu.serverPct)} / ${pct(s.join.cpu.generatorPct)} | ${pct(s.fanout.cpu.serverPct)} / ${pct(s.fanout.cpu.generatorPct)} | ${s.chat ? `${pct(s.chat.cpu.serverPct)} / ${pct(s.chat.cpu.generatorPct)}` : '–'} | ${pct(s.otherLoadPct)} | ${s.join.failures} | ${s.fanout.missing} | ${refused} |`,
    );
  }
  return lines;
}

function clientKindTable(comparison: ClientKindComparison): string[] {
  const lines = [
    '| generator client | generator CPU per join | generator CPU per delivered slide | generator CPU during join / fan-out | join p99 | fan-out p99 |',
    '| --- | ---: | ---: | --- | ---: | ---: |',
  ];
  for (const run of comparison.runs) {
    const perJoin = run.join.cpu.generatorMs / Math.max(1, run.join.connected);
    const perDelivery = (1000 * run.fanout.cpu.generatorMs) / Math.max(1, run.fanout.count);
    lines.push(
      `| ${run.kind === 'sio' ? 'socket.io-client' : 'wire client (bench/wire-client.ts)'} | ${perJoin.toFixed(2)} ms | ${perDelivery.toFixed(1)} µs | ${pct(run.join.cpu.generatorPct)} / ${pct(run.fanout.cpu.generatorPct)} | ${ms(run.join.p99, 0)} | ${ms(run.fanout.p99)} |`,
    );
  }
  return lines;
}

function firstLoadTable(load: FirstLoad): string[] {
  const lines = ['| file | as served | encoding | uncompressed | gzip |', '| --- | ---: | --- | ---: | ---: |'];
  for (const file of [...load.files, load.deckData]) {
    const label = file === load.deckData ? `${file.path} (deck data, loaded next; not counted)` : file.path;
    lines.push(`| \`${label}\` | ${kb(file.served)} | ${file.encoding} | ${kb(file.raw)} | ${kb(file.gzip)} |`);
  }
  lines.push(`| **HTML + JS + CSS** | **${kb(load.servedTotal)}** | | **${kb(load.rawTotal)}** | **${kb(load.gzipTotal)}** |`);
  return lines;
}

function chatThroughputTable(chat: ChatThroughput): string[] {
  const main = chat.variants[0];
  const lines = [
    `K = ${chat.listeners} listening phones; each variant runs ${(chat.durationMs / 1000).toFixed(1)} s on the same server process, ${chat.rounds > 1 ? `${chat.rounds} rounds interleaved, the better round kept` : 'once'}.`,
    '',
    '| variant | persisted (+ broadcast) per s | delivered to all K per s | ÷ group commit | server CPU | per server CPU-second |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const variant of chat.variants) {
    lines.push(
      `| ${variant.label}${variant.spec.concurrency > 1 ? ` (${variant.spec.concurrency} in flight)` : ''} | ${count(Math.round(variant.serverRate))} | ${Number.isFinite(variant.deliveredRate) ? count(Math.round(variant.deliveredRate)) : '–'} | ${times(ratio(variant.serverRate, main?.serverRate ?? NaN))} | ${pct(variant.serverCpuPct)} | ${count(Math.round(variant.perCpuSecond))} |`,
    );
  }
  return lines;
}

function profileTables(profile: ProfileSummary & { n: number }): string[] {
  const lines = [
    `Server process, livedeck at N = ${count(profile.n)}, a separate pass under \`node --cpu-prof\` (profile: \`${profile.file}\`, git-ignored). Self time per phase; "share" is of the phase's busy time.`,
  ];
  for (const phase of profile.phases) {
    lines.push(
      '',
      `**${phase.name}**: ${(phase.busyMs / 1000).toFixed(2)} s busy in ${(phase.wallMs / 1000).toFixed(2)} s.`,
      '',
      '| package | self time | share |',
      '| --- | ---: | ---: |',
      ...phase.packages.slice(0, 8).map((entry) => `| ${entry.name} | ${entry.ms.toFixed(0)} ms | ${pct(entry.pct)} |`),
      '',
      '| function | where | self time | share |',
      '| --- | --- | ---: | ---: |',
      ...phase.functions.map((entry) => `| \`${entry.name}\` | ${entry.where ? `\`${entry.where}\`` : ''} | ${entry.ms.toFixed(0)} ms | ${pct(entry.pct)} |`),
    );
  }
  return lines;
}

export function resultsMarkdown(results: BenchResults): string {
  const m = results.machine;
  const c = results.config;
  const lines = [
    MARKER_START,
    '',
    `## Results: ${results.date} (${results.mode} run, ${Math.round(results.wallSeconds)} s)`,
    '',
    '<!-- Generated by `npm run bench`; edits between the bench:results markers are overwritten. -->',
    '',
    `- **Machine**: ${m.cpu}, ${m.cores} cores, ${m.memoryGB.toFixed(0)} GB RAM, Linux ${m.kernel}, Node ${m.node}; open files ${m.openFiles.soft} (hard ${m.openFiles.hard}).`,
    `- **Load**: shared machine; processes other than the benchmark used ${m.otherLoadPct.toFixed(0)}% of its CPU during the run (load average ${m.loadBefore.map((v) => v.toFixed(2)).join(' ')} before, ${m.loadAfter.map((v) => v.toFixed(2)).join(' ')} after).`,
    `- **Rounds**: each (server, N) ran ${c.rounds} time(s)${c.workers && c.workers.rounds !== c.rounds ? ` (livedeck as ${c.workers.count} workers: ${c.workers.rounds})` : ''}, interleaved; the tables show the round least disturbed by other processes ("other processes" below: their share of the whole machine's CPU during that round).`,
    `- **Setup**: server in its own process (createServer, 127.0.0.1, port 0, temp SQLite file, silent logs), ${c.generators} generator process(es) speaking the wire protocol, ${c.concurrency} handshakes in flight during the join storm, ${c.slides} slides per fan-out, chat ${c.chat.messages} messages from ${c.chat.chatters} phones at ${c.chat.ratePerSecond}/s, ${c.idleMs / 1000} s idle before the memory reading. Browser bundle: ${results.build}.`,
    '',
    '### Targets: a conference hall (issue 17)',
    '',
    ...hallTargetsTable(results),
    '',
    '### Targets: a big room (issue "A big room")',
    '',
    ...targetsTable(results),
    '',
    '### Every figure, and livedeck as a multiple of the reference',
    '',
    'Latencies are per phone (fan-out: presenter\'s `slide:set` sent → that phone\'s `slide:changed` received, all phones × all slides; chat: `chat:send` sent → `chat:message` received, every phone × every message). "Chat to all" is messages per second that reached every phone.',
    '',
    ...perSizeTable(results),
    '',
    ...workersSection(results),
    '',
    '![Fan-out p99 and join-storm time against N](performance-fanout.svg)',
    '',
    '### Which side is busy (CPU, % of one core, per phase)',
    '',
    ...cpuTable(results),
  ];
  if (results.clientKinds) {
    lines.push(
      '',
      `### Generator client: socket.io-client or the wire client (livedeck, N = ${count(results.clientKinds.n)})`,
      '',
      ...clientKindTable(results.clientKinds),
    );
  }
  lines.push('', "### The phone's first load (`GET /` and what it references, Accept-Encoding: gzip, br)", '', ...firstLoadTable(results.firstLoad));
  if (results.chatThroughput) {
    lines.push('', '### Chat: persist + broadcast in one process (micro-benchmark)', '', ...chatThroughputTable(results.chatThroughput));
  }
  if (results.profile) lines.push('', '### Where the server spends its time', '', ...profileTables(results.profile));
  lines.push('', MARKER_END);
  return lines.join('\n');
}

/** Replaces the generated section of the document (between these markers), or appends it. */
export function updateDocument(existing: string, section: string, markers: [string, string] = [MARKER_START, MARKER_END]): string {
  const start = existing.indexOf(markers[0]);
  const end = existing.indexOf(markers[1]);
  if (start >= 0 && end > start) return existing.slice(0, start) + section + existing.slice(end + markers[1].length);
  return `${existing.trimEnd()}\n\n${section}\n`;
}

export function chartSvg(results: BenchResults): string {
  const look = {
    livedeck: { label: 'livedeck, one process (SQLite)', color: '#1971c2' },
    reference: { label: 'raw ws reference', color: '#868e96' },
    workers: { label: workersLabel(results), color: '#2f9e44' },
  };
  const series = (target: Target, pick: (s: ScenarioResult) => number) => ({
    ...look[target],
    dashed: target === 'reference',
    points: results.scenarios.filter((s) => s.target === target).map((s) => ({ x: s.n, y: pick(s) })),
  });
  // The workers' line only when they ran (a saved run from before them, or --workers 0).
  const targets: Target[] = results.scenarios.some((s) => s.target === 'workers') ? ['livedeck', 'reference', 'workers'] : ['livedeck', 'reference'];
  return drawChart(
    [
      {
        title: 'Slide fan-out p99',
        unit: 'milliseconds',
        series: targets.map((target) => series(target, (s) => s.fanout.p99)),
      },
      {
        title: 'Join storm: all phones hold a snapshot',
        unit: 'seconds',
        series: targets.map((target) => series(target, (s) => s.join.totalMs / 1000)),
        target: { y: TARGETS.joinSeconds, label: `target: < ${TARGETS.joinSeconds} s at 10k` },
      },
    ],
    `npm run bench, ${results.date}, ${results.machine.cpu} × ${results.machine.cores}, Node ${results.machine.node}`,
  );
}

/** The committed summary: the headline figures, small enough to diff between runs. */
export function summary(results: BenchResults): object {
  return {
    date: results.date,
    mode: results.mode,
    machine: { cpu: results.machine.cpu, cores: results.machine.cores, node: results.machine.node, otherLoadPct: Math.round(results.machine.otherLoadPct) },
    scenarios: results.scenarios.map((s) => ({
      target: s.target,
      n: s.n,
      ...(s.workers ? { sessionsPerWorker: s.workers.spread } : {}),
      joinTotalMs: Math.round(s.join.totalMs),
      joinP99Ms: Math.round(s.join.p99),
      joinServerCpuMs: Number(s.join.serverCpuMsPerJoin.toFixed(3)),
      connected: s.join.connected,
      fanoutP50Ms: Number(s.fanout.p50.toFixed(1)),
      fanoutP99Ms: Number(s.fanout.p99.toFixed(1)),
      fanoutMaxMs: Number(s.fanout.max.toFixed(1)),
      fanoutServerCpuMs: Number(s.fanout.serverCpuMsPerSlide.toFixed(1)),
      chatThroughput: s.chat ? Number(s.chat.throughput.toFixed(2)) : null,
      chatP99Ms: s.chat ? Number(s.chat.p99.toFixed(1)) : null,
      rssPerPhoneKB: Number(s.memory.rssPerClientKB.toFixed(1)),
    })),
    firstLoad: { gzipBytes: results.firstLoad.gzipTotal, servedBytes: results.firstLoad.servedTotal },
    chatThroughput: results.chatThroughput?.variants.map((v) => ({ variant: v.name, perSecond: Math.round(v.serverRate) })),
  };
}
