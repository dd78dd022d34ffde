/**
 * npm run bench -- --only workers-profile [--sizes 3000]
 * The same join storm on one process and on 2 workers + Redis, every
 * process under `node --cpu-prof`: what each spent the storm on, in ms of
 * profile per join, side by side (profiled time is wall time the process
 * was not idle, so on a loaded machine it overstates CPU; compare rows).
 */
import fs from 'node:fs';
import path from 'node:path';
import { BENCH_DIR } from './processes.js';
import { summarizeProfile, type ProfileEntry } from './profile.js';
import { runScenario } from './scenario.js';

export async function profileWorkers(n: number, log: (line: string) => void): Promise<void> {
  const perJoin = new Map<string, Map<string, number>>();
  for (const target of ['livedeck', 'workers'] as const) {
    const dir = fs.mkdtempSync(path.join(BENCH_DIR, 'results', `profile-${target}-`));
    log(`${target}, N = ${n}, profiled`);
    const result = await runScenario({ target, workers: 2, n, kind: 'wire', generators: 1, concurrency: 500, slides: 3, idleMs: 1000, cpuProfDir: dir, log });
    const phases = (result.phases ?? []).filter((phase) => phase.name === 'join storm');
    const joins = Math.max(1, result.join.connected);
    for (const file of fs.readdirSync(dir).filter((name) => name.endsWith('.cpuprofile'))) {
      const summary = summarizeProfile(path.join(dir, file), phases, 30);
      const phase = summary.phases[0];
      if (!phase || phase.busyMs < 100) continue; // a worker's idle thread, or the sticky helper's
      const label = `${target} ${file}`;
      log(`${label}: busy ${phase.busyMs.toFixed(0)} ms of ${phase.wallMs.toFixed(0)} ms, ${(phase.busyMs / joins).toFixed(2)} ms per join`);
      const line = (entry: ProfileEntry) => `${(entry.ms / joins).toFixed(3)} ms ${entry.pct.toFixed(1)}% ${entry.name} ${entry.where}`;
      for (const entry of phase.packages.slice(0, 12)) log(`    ${line(entry)}`);
      for (const entry of phase.functions) log(`      ${line(entry)}`);
      const packages = perJoin.get(target) ?? new Map<string, number>();
      for (const entry of phase.packages) packages.set(entry.name, (packages.get(entry.name) ?? 0) + entry.ms / joins);
      perJoin.set(target, packages);
    }
    log(`profiles kept in ${path.relative(process.cwd(), dir)}`);
  }
  const names = new Set([...perJoin.values()].flatMap((packages) => [...packages.keys()]));
  log('ms of profile per join, all processes of each: one process / 2 workers');
  for (const name of names) log(`  ${name}: ${(perJoin.get('livedeck')?.get(name) ?? 0).toFixed(3)} / ${(perJoin.get('workers')?.get(name) ?? 0).toFixed(3)}`);
}
