import fs from 'node:fs';
import path from 'node:path';
import { runScenario } from './scenario.js';
import { summarizeProfile } from './profile.js';
const n = Number(process.argv[2] ?? 3000);
const dir = fs.mkdtempSync('/tmp/prof-');
const r = await runScenario({ target: 'livedeck', n, kind: 'wire', generators: 1, concurrency: 500, slides: 5, chat: { chatters: 50, ratePerSecond: 10, messages: 30 }, idleMs: 1000, log: console.log, cpuProfDir: dir });
const file = path.join(dir, fs.readdirSync(dir)[0]!);
console.log(r.phases);
const s = summarizeProfile(file, r.phases, 25);
for (const p of s.phases) {
  console.log(`== ${p.name} busy ${p.busyMs.toFixed(0)} wall ${p.wallMs.toFixed(0)}`);
  for (const e of p.packages.slice(0, 10)) console.log(`   ${e.pct.toFixed(1).padStart(5)}% ${e.ms.toFixed(0).padStart(6)} ${e.name}`);
  for (const e of p.functions) console.log(`   ${e.pct.toFixed(1).padStart(5)}% ${e.ms.toFixed(0).padStart(6)} ${e.name} ${e.where}`);
}
console.log(file);
